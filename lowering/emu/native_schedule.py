"""The graph schedule and the critical path of schedule.py, compiled with MLIR's JIT.

Both are one pass over the nodes in program order with a few operations per edge; written in
Python that costs about 0.5 µs per node, most of the emulator's overhead on a large run
(bench/emu.py). The same rules written in MLIR (scf, memref, arith) and compiled by this
project's own CPU lowering run in a few nanoseconds per node. Compiling costs some tens of
milliseconds once per process, so schedule.py uses this only for graphs (and barrier's launch
groups of tasks of different costs) of at least `NATIVE_MIN_NODES` nodes, and the Python loop
below that; test_emu_native_schedule.py checks that both give the same floats on random graphs.

Edges come as CSR arrays (`deps.Preds`): the preds of node v are indices[indptr[v]:indptr[v+1]],
ascending. The core groups' free times are a binary heap of (free time, core group) pairs in
two arrays, ordered as Python's tuples are, so every pop gives the pair heapq would.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..cpu import Function

# Below this many nodes the Python loop is cheaper than compiling (schedule.py).
NATIVE_MIN_NODES = 20_000

_F64 = "memref<?xf64>"
_I64 = "memref<?xi64>"

# (a_free, a_core) < (b_free, b_core), as Python compares tuples (no NaN: costs are finite).
_LESS = """
    %{o}_lt = arith.cmpf olt, {af}, {bf} : f64
    %{o}_eq = arith.cmpf oeq, {af}, {bf} : f64
    %{o}_clt = arith.cmpi slt, {ac}, {bc} : i64
    %{o}_tie = arith.andi %{o}_eq, %{o}_clt : i1
    %{o} = arith.ori %{o}_lt, %{o}_tie : i1"""


def _less(out: str, af: str, ac: str, bf: str, bc: str) -> str:
    return _LESS.format(o=out, af=af, ac=ac, bf=bf, bc=bc)


_SOURCE = f"""
func.func @schedule_nodes(%task: {_I64}, %cost: {_F64}, %indptr: {_I64}, %indices: {_I64},
                          %hfree: {_F64}, %hcore: {_I64},
                          %start: {_F64}, %end: {_F64}, %core: {_I64}) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f64
  %i0 = arith.constant 0 : i64
  %n = memref.dim %task, %c0 : {_I64}
  %P = memref.dim %hfree, %c0 : {_F64}
  %host_end = scf.for %v = %c0 to %n step %c1 iter_args(%host = %zero) -> (f64) {{
    %v1 = arith.addi %v, %c1 : index
    %p0i = memref.load %indptr[%v] : {_I64}
    %p1i = memref.load %indptr[%v1] : {_I64}
    %p0 = arith.index_cast %p0i : i64 to index
    %p1 = arith.index_cast %p1i : i64 to index
    %ready = scf.for %k = %p0 to %p1 step %c1 iter_args(%r = %zero) -> (f64) {{
      %ui = memref.load %indices[%k] : {_I64}
      %u = arith.index_cast %ui : i64 to index
      %eu = memref.load %end[%u] : {_F64}
      %later = arith.cmpf ogt, %eu, %r : f64
      %r2 = arith.select %later, %eu, %r : f64
      scf.yield %r2 : f64
    }}
    %cv = memref.load %cost[%v] : {_F64}
    %t = memref.load %task[%v] : {_I64}
    %is_host = arith.cmpi slt, %t, %i0 : i64
    %s, %host2 = scf.if %is_host -> (f64, f64) {{
      // a host node that waits holds the host clock up only when it need not wait
      %now = arith.cmpf ole, %ready, %host : f64
      %rh = arith.select %now, %host, %ready : f64
      %h1 = arith.addf %host, %cv : f64
      %h2 = arith.select %now, %h1, %host : f64
      scf.yield %rh, %h2 : f64, f64
    }} else {{
      %free = memref.load %hfree[%c0] : {_F64}
      %c = memref.load %hcore[%c0] : {_I64}
      %after_host = arith.cmpf ogt, %host, %ready : f64
      %r1 = arith.select %after_host, %host, %ready : f64
      %after_free = arith.cmpf ogt, %free, %r1 : f64
      %r2 = arith.select %after_free, %free, %r1 : f64
      %key = arith.addf %r2, %cv : f64
      // heapreplace: sift (key, c) down from the root
      %at, %unused = scf.while (%i = %c0) : (index) -> (index, index) {{
        %i2 = arith.muli %i, %c2 : index
        %l = arith.addi %i2, %c1 : index
        %has_l = arith.cmpi ult, %l, %P : index
        %go, %child = scf.if %has_l -> (i1, index) {{
          %rr = arith.addi %l, %c1 : index
          %has_r = arith.cmpi ult, %rr, %P : index
          %ch = scf.if %has_r -> (index) {{
            %fl = memref.load %hfree[%l] : {_F64}
            %cl = memref.load %hcore[%l] : {_I64}
            %fr = memref.load %hfree[%rr] : {_F64}
            %cr = memref.load %hcore[%rr] : {_I64}{_less("right_first", "%fr", "%cr", "%fl", "%cl")}
            %pick = arith.select %right_first, %rr, %l : index
            scf.yield %pick : index
          }} else {{
            scf.yield %l : index
          }}
          %fc = memref.load %hfree[%ch] : {_F64}
          %cc = memref.load %hcore[%ch] : {_I64}{_less("up", "%fc", "%cc", "%key", "%c")}
          scf.yield %up, %ch : i1, index
        }} else {{
          %no = arith.constant false
          scf.yield %no, %i : i1, index
        }}
        scf.condition(%go) %i, %child : index, index
      }} do {{
      ^bb0(%i: index, %child: index):
        %fc = memref.load %hfree[%child] : {_F64}
        %cc = memref.load %hcore[%child] : {_I64}
        memref.store %fc, %hfree[%i] : {_F64}
        memref.store %cc, %hcore[%i] : {_I64}
        scf.yield %child : index
      }}
      memref.store %key, %hfree[%at] : {_F64}
      memref.store %c, %hcore[%at] : {_I64}
      %ti = arith.index_cast %t : i64 to index
      memref.store %c, %core[%ti] : {_I64}
      scf.yield %r2, %host : f64, f64
    }}
    %e = arith.addf %s, %cv : f64
    memref.store %s, %start[%v] : {_F64}
    memref.store %e, %end[%v] : {_F64}
    scf.yield %host2 : f64
  }}
  return
}}

func.func @longest_chains(%cost: {_F64}, %indptr: {_I64}, %indices: {_I64},
                          %length: {_F64}, %best: {_I64}) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %none = arith.constant -1 : i64
  %n = memref.dim %cost, %c0 : {_F64}
  scf.for %v = %c0 to %n step %c1 {{
    %v1 = arith.addi %v, %c1 : index
    %p0i = memref.load %indptr[%v] : {_I64}
    %p1i = memref.load %indptr[%v1] : {_I64}
    %p0 = arith.index_cast %p0i : i64 to index
    %p1 = arith.index_cast %p1i : i64 to index
    %top, %arg = scf.for %k = %p0 to %p1 step %c1 iter_args(%t = %zero, %a = %none)
        -> (f64, i64) {{
      %ui = memref.load %indices[%k] : {_I64}
      %u = arith.index_cast %ui : i64 to index
      %lu = memref.load %length[%u] : {_F64}
      %longer = arith.cmpf ogt, %lu, %t : f64
      %t2 = arith.select %longer, %lu, %t : f64
      %a2 = arith.select %longer, %ui, %a : i64
      scf.yield %t2, %a2 : f64, i64
    }}
    %cv = memref.load %cost[%v] : {_F64}
    %lv = arith.addf %top, %cv : f64
    memref.store %lv, %length[%v] : {_F64}
    memref.store %arg, %best[%v] : {_I64}
  }}
  return
}}
"""


@functools.cache
def _compiled() -> dict[str, Function]:
    """The two functions, compiled on first use (once per process). The CPU lowering is
    imported here too: most runs schedule small graphs in Python and never need it."""
    from mlir import ir

    from ...dialect.context import make_context
    from ..cpu import compile_module

    ctx = make_context()
    module = ir.Module.parse(_SOURCE, ctx)
    fns = compile_module(module, entries=["schedule_nodes", "longest_chains"], opt_level=0)
    return {name: fns[name] for name in ("schedule_nodes", "longest_chains")}


def _edges(indices: np.ndarray) -> np.ndarray:
    """`indices` as the int64 memref the functions take (one unused element when there are no
    edges: a memref of size 0 has no data pointer to pass)."""
    return np.ascontiguousarray(indices if len(indices) else np.zeros(1), np.int64)


def _check_graph(n: int, indptr: np.ndarray, indices: np.ndarray) -> None:
    """The compiled loops index memory with these arrays unchecked: a bad graph must be an
    exception here, not a wild read there."""
    if len(indptr) != n + 1 or (n and (indptr[0] != 0 or indptr[-1] != len(indices))):
        raise ValueError(f"indptr must have {n + 1} entries, from 0 to {len(indices)}")
    if np.any(np.diff(indptr) < 0):
        raise ValueError("indptr must not decrease")
    if len(indices) and (indices.min() < 0 or indices.max() >= n):
        raise ValueError(f"every pred must be a node in [0, {n})")


def schedule_nodes(
    task: np.ndarray, cost: np.ndarray, indptr: np.ndarray, indices: np.ndarray, core_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end) per node and the core group per task: schedule.schedule_graph's loop."""
    n = len(task)
    _check_graph(n, indptr, indices)
    n_tasks = int((task >= 0).sum())
    if core_groups < 1:
        raise ValueError(f"core_groups must be at least 1, got {core_groups}")
    if not np.array_equal(task[task >= 0], np.arange(n_tasks)):
        raise ValueError("tasks must be numbered 0, 1, ... in node order")
    start = np.zeros(n, np.float64)
    end = np.zeros(n, np.float64)
    core = np.zeros(n_tasks, np.int64)
    hfree = np.zeros(core_groups, np.float64)
    hcore = np.arange(core_groups, dtype=np.int64)  # all free at 0: sorted, already a heap
    _compiled()["schedule_nodes"](
        np.ascontiguousarray(task, np.int64),
        np.ascontiguousarray(cost, np.float64),
        np.ascontiguousarray(indptr, np.int64),
        _edges(indices),
        hfree,
        hcore,
        start,
        end,
        core,
    )
    return start, end, core


def longest_chains(
    cost: np.ndarray, indptr: np.ndarray, indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per node, the length of the longest chain ending at it and its pred on that chain (-1:
    none): schedule.critical_path's loop."""
    n = len(cost)
    _check_graph(n, indptr, indices)
    length = np.zeros(n, np.float64)
    best = np.full(n, -1, np.int64)
    _compiled()["longest_chains"](
        np.ascontiguousarray(cost, np.float64),
        np.ascontiguousarray(indptr, np.int64),
        _edges(indices),
        length,
        best,
    )
    return length, best


__all__ = ["NATIVE_MIN_NODES", "longest_chains", "schedule_nodes"]
