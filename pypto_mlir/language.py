"""PyPTO's kernel language: `import pypto_mlir.language as pl` (see docs/frontend.md).

The vocabulary is frontend/language.py (it depends on the dialect layer only); this module, at
the top of the package, adds running: `Program.fn(*arrays, target="cpu"|"emu")` calls
tools/kernel_call.py, which uses the lowering layer.
"""

from .frontend import language as _language
from .frontend import program as _program
from .tools.kernel_call import run_function as _run_function

globals().update({k: v for k, v in vars(_language).items() if not k.startswith("_")})
_program.RUNNER = _run_function
