"""Our passes, their registry, and the pipeline parser.

Python API::

    from pypto_mlir.passes import split_chunked_loops, add_to_pass_manager
    split_chunked_loops(module, policy="leading_full")          # a function on a module
    add_to_pass_manager(pm, "pl-split-chunked-loops{policy=guarded}, canonicalize")
"""

# Importing a pass module registers its pass; named_pipelines registers the named pipelines.
from . import named_pipelines  # noqa: F401 (imported to register)
from .check_chunk_bounds import CheckChunkBounds, check_chunk_bounds
from .interchange_chunk_loops import InterchangeChunkLoops, interchange_chunk_loops
from .normalize_int_loops import NormalizeIntLoops, normalize_int_loops
from .outline_kernels import Kernel, OutlineKernels, outline_kernels
from .pipeline_parser import add_elements as add_to_pass_manager
from .pipeline_parser import build_pass_manager, parse
from .registry import PASSES, PIPELINES, ModulePass, PipelineError
from .split_chunked_loops import SplitChunkedLoops, split_chunked_loops
from .unswitch_guards import UnswitchGuards, unswitch_guards
from .verify_pass import Verify

__all__ = [
    "PASSES",
    "PIPELINES",
    "CheckChunkBounds",
    "InterchangeChunkLoops",
    "Kernel",
    "ModulePass",
    "NormalizeIntLoops",
    "OutlineKernels",
    "PipelineError",
    "SplitChunkedLoops",
    "outline_kernels",
    "check_chunk_bounds",
    "interchange_chunk_loops",
    "UnswitchGuards",
    "Verify",
    "add_to_pass_manager",
    "build_pass_manager",
    "normalize_int_loops",
    "parse",
    "split_chunked_loops",
    "unswitch_guards",
]
