"""Our passes, their registry, and the pipeline parser.

Python API::

    from pypto_mlir.passes import split_chunked_loops, add_to_pass_manager
    split_chunked_loops(module, policy="leading_full")          # a function on a module
    add_to_pass_manager(pm, "pl-split-chunked-loops{policy=guarded}, canonicalize")
"""

from . import pipelines, split_chunked_loops as _split, verify_pass  # noqa: F401  (registration)
from .pipeline import add_elements as add_to_pass_manager, build_pass_manager, parse
from .registry import PASSES, PIPELINES, ModulePass, PipelineError
from .split_chunked_loops import SplitChunkedLoops, split_chunked_loops
from .verify_pass import Verify

__all__ = [
    "PASSES", "PIPELINES", "ModulePass", "PipelineError", "SplitChunkedLoops", "Verify",
    "add_to_pass_manager", "build_pass_manager", "parse", "split_chunked_loops",
]
