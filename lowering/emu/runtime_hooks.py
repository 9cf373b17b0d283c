"""The emulator's contract between the instrumented module (instrument.py) and the runtime
(runtime.py): the runtime hooks the JIT code calls, the task counters, and the metadata the
instrumentation hands the runtime (kernels, launch groups, access sites).

Hooks are `func.func private @<name>(i64...)` declarations with `llvm.emit_c_interface`; the
runtime registers a ctypes callback for each (ExecutionEngine.register_runtime) before the
first lookup and keeps the callback objects alive as long as the engine. All arguments are i64.
The JIT code calls them only at launch-group and task boundaries and on faults and races (rare
by nature): never per memory access.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# name -> number of i64 arguments
HOOK_GROUP_BEGIN = "pl_emu_group_begin"  # (group id, flags: bit 0 = chained by iter_args)
HOOK_GROUP_END = "pl_emu_group_end"  # (group id)
HOOK_TASK_BEGIN = "pl_emu_task_begin"  # (kernel id)
HOOK_TASK_END = "pl_emu_task_end"  # (kernel id, then the counters below, in order)
HOOK_FAULT = "pl_emu_fault"  # (site id, lane or -1, index 0..3, size 0..3 (unused: 0))
HOOK_RACE = "pl_emu_race"  # (site id, other site id, other task index, element address)
HOOK_FOOTPRINTS = "pl_emu_footprints"  # (address of the footprint log, rows in use): footprints.py
# Fault arguments (instrument.py): a scalar access passes lane -1 and its indices; a vector
# access that does not fit calls the hook once per faulting lane, with the lane's number (in the
# flattened vector) and the indices of the lane's element; a view site passes lane -1 and its
# offsets (subview, reinterpret_cast) or its byte shift / dynamic sizes (view); an alloca site
# passes the requested bytes as index 0 (saturated at 2**63 - 1). The sizes are the run-time
# shape of the memref the site's `memref_type` names (the accessed memref; a view's source; an
# alloca's requested shape), first four dimensions. A site can fault many times;
# ops that share kind, location, memref type and kernel (the copies pl-unswitch-guards makes of
# a chunk body) share one site.
# Race arguments: the current access's site, the earlier conflicting access's site, the index of
# the task that made it *within the current launch group instance* (0 = the instance's first
# task; the current task is the one between task_begin and task_end), and the element's byte
# address. Only tasks of one instance of a per-iteration, non-chained group are compared.

# What one task did, counted by instrumentation inside the kernel and passed to task_end.
COUNTERS = (
    "scalar_ops",
    "vector_ops",
    "math_ops",
    "loads",
    "stores",
    "bytes_loaded",
    "bytes_stored",
    "masked_iterations",
)

MAX_FAULT_RANK = 4  # indices (and sizes) passed to the fault hook; higher ranks pass the first four

HOOKS = {
    HOOK_GROUP_BEGIN: 2,
    HOOK_GROUP_END: 1,
    HOOK_TASK_BEGIN: 1,
    HOOK_TASK_END: 1 + len(COUNTERS),
    HOOK_FAULT: 2 + 2 * MAX_FAULT_RANK,
    HOOK_RACE: 4,
    HOOK_FOOTPRINTS: 2,
}


# Site kinds. Accesses: "load", "store" (atomic read-modify-writes are stores), "copy" (a
# memref.copy between an invalid view or memrefs of different shapes: nothing is copied, no
# indices). Views created out of their source (every later access through them faults too):
# "subview", "reinterpret_cast", "view" (memref.view, and memref.cast / memref.expand_shape
# whose sizes, offset or strides do not match the source). On-chip memory: "alloca".
SITE_KINDS = (
    "load",
    "store",
    "copy",
    "subview",
    "reinterpret_cast",
    "view",
    "alloca",
    "dealloc",
)


@dataclass(frozen=True)
class Site:
    """A checked place in the input: a memory access, a view creation or an on-chip buffer."""

    id: int
    kind: str  # one of SITE_KINDS
    location: str  # file:line:col of the op in the input (as diagnostics print it)
    memref_type: str  # the accessed memref's type, as MLIR prints it
    kernel: str | None  # the kernel holding the site, None in host (orchestration) code and in
    #                        functions kernels call (the task context tells where those ran)
    rank: int = 0  # how many fault indices mean something: the accessed memref's rank for
    #                      "load"/"store", the reported offsets or sizes for views, 1 for
    #                      "alloca", 0 for "copy"
    # An access or copy: the view sites whose validity it depends on (FROM_ANOTHER_FUNCTION: a
    # view made in the caller or the callee), so that a fault with indices inside the view's
    # shape names the view that is out of bounds.
    views: tuple[int, ...] = ()
    # A subview or reinterpret_cast: its sizes and strides as far as they are static (None:
    # dynamic), so that a fault names the dimension that does not fit.
    view_sizes: tuple[int | None, ...] = ()
    view_strides: tuple[int | None, ...] = ()


FROM_ANOTHER_FUNCTION = -1  # in Site.views


@dataclass(frozen=True)
class Group:
    """A launch group: the tasks of one kernel launched by one loop (or by one call site that
    is not in a loop: a group of one task per execution). Groups run one after another in
    orchestration order (a barrier between them); the tasks of a group are independent unless
    `chained` (the kernel takes and returns the loop's iter_args: each task needs the last)."""

    id: int
    kernel: str
    launch: str  # "per_iteration" or "once"
    chained: bool
    location: str


@dataclass
class EmuMetadata:
    kernels: list[str] = field(default_factory=list)  # kernel id -> name
    groups: list[Group] = field(default_factory=list)  # group id -> group
    sites: list[Site] = field(default_factory=list)  # site id -> site
    # host_waits.py: the launch groups whose latest task's results the ops of a host site use,
    # and those a kernel call uses (the group's tasks wait for them)
    site_waits: dict[int, tuple[int, ...]] = field(default_factory=dict)
    call_waits: dict[int, tuple[int, ...]] = field(default_factory=dict)
