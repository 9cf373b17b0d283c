"""Footprints: which bytes each task and each stretch of host code touched, recorded by the JIT
code into a log in its own memory (no callback per access), read by the runtime when the log is
full and when an entry returns. The dependency models (deps.py) are computed from it.

The log is `@__pl_emu_fp_log : memref<(N + 1) x 5 x i64>`. Row 0 holds the number of rows in
use and the last mark's row; each other row is (lo, hi, kind, site, accesses):

    kind READ / WRITE   accesses to the bytes [lo, hi), all at access site `site`, `accesses` of
                        them (a site's row grows while its accesses of one kind continue its
                        bytes without a gap, whatever other sites do in between: a loop over a
                        row of a buffer is one row per site; `@__pl_emu_fp_open` holds the
                        row each site grows, until the next mark)
    kind BEGIN / END    a task begins / ends (instrument.py marks both beside the task hooks)
    kind FREE           host code frees the bytes [lo, hi) (a memref.dealloc at site `site`): a
                        host node that writes them, at no cost, so that it waits for the
                        tasks that used them, and their next user waits for it

What is recorded: the accesses the race instrumentation sees (races.py: loads and stores of
memory that comes into a kernel from outside, or that host code reaches through its arguments
and its allocations). Not recorded: memref.copy, accesses in functions a kernel calls through
memref arguments, task-private buffers (a kernel's allocas).
"""

from __future__ import annotations

import ctypes

import numpy as np

from . import runtime_hooks
from .generated_functions import PREFIX, Helpers

LOG = PREFIX + "fp_log"
RECORD = PREFIX + "fp_record"  # (addr: i64, bytes: i64, site: i64, write: i1)
MARK = PREFIX + "fp_mark"  # (kind: i64)
FREE_BYTES = PREFIX + "fp_free"  # (addr: i64, bytes: i64, site: i64): a memref.dealloc
FLUSH = PREFIX + "fp_flush"  # (): hands the rows to the runtime, empties the log
APPEND = PREFIX + "fp_append"
OPEN = PREFIX + "fp_open"  # the row each site's accesses grow, by site mod OPEN_SLOTS
OPEN_SLOTS = 64
READ, WRITE, BEGIN, END, FREE = 0, 1, 2, 3, 4
COLUMNS = 5  # lo, hi, kind, site, accesses
DEFAULT_ROWS_LOG2 = 16  # 65,536 rows of 40 bytes: 2.5 MiB


def declare(helpers: Helpers, rows_log2: int = DEFAULT_ROWS_LOG2) -> None:
    n = 1 << rows_log2
    t = f"memref<{n + 1}x{COLUMNS}xi64>"
    c = f"memref<{OPEN_SLOTS}xi64>"
    helpers.add(LOG, f'memref.global "private" @{LOG} : {t} = dense<0>')
    helpers.add(OPEN, f'memref.global "private" @{OPEN} : {c} = dense<0>')
    helpers.add(
        FLUSH,
        f"""
func.func private @{FLUSH}() {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %log = memref.get_global @{LOG} : {t}
  %n = memref.load %log[%c0, %c0] : {t}
  %p = memref.extract_aligned_pointer_as_index %log : {t} -> index
  %p64 = arith.index_cast %p : index to i64
  func.call @{runtime_hooks.HOOK_FOOTPRINTS}(%p64, %n) : (i64, i64) -> ()
  memref.store %z, %log[%c0, %c0] : {t}
  memref.store %z, %log[%c0, %c1] : {t}
  return
}}""",
    )
    helpers.add(
        APPEND,
        f"""
func.func private @{APPEND}(%lo: i64, %hi: i64, %kind: i64, %site: i64) -> i64 {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1 : i64
  %cap = arith.constant {n} : i64
  %log = memref.get_global @{LOG} : {t}
  %n0 = memref.load %log[%c0, %c0] : {t}
  %full = arith.cmpi eq, %n0, %cap : i64
  scf.if %full {{
    func.call @{FLUSH}() : () -> ()
  }}
  %n1 = memref.load %log[%c0, %c0] : {t}
  %n2 = arith.addi %n1, %one : i64
  %r = arith.index_cast %n2 : i64 to index
  memref.store %lo, %log[%r, %c0] : {t}
  memref.store %hi, %log[%r, %c1] : {t}
  memref.store %kind, %log[%r, %c2] : {t}
  memref.store %site, %log[%r, %c3] : {t}
  memref.store %one, %log[%r, %c4] : {t}
  memref.store %n2, %log[%c0, %c0] : {t}
  return %n2 : i64
}}""",
    )
    helpers.add(
        MARK,
        f"""
func.func private @{MARK}(%kind: i64) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %m1 = arith.constant -1 : i64
  %log = memref.get_global @{LOG} : {t}
  %r = func.call @{APPEND}(%z, %z, %kind, %m1) : (i64, i64, i64, i64) -> i64
  memref.store %r, %log[%c0, %c1] : {t}
  return
}}""",
    )
    helpers.add(
        FREE_BYTES,
        f"""
func.func private @{FREE_BYTES}(%addr: i64, %bytes: i64, %site: i64) {{
  %kind = arith.constant {FREE} : i64
  %end = arith.addi %addr, %bytes : i64
  %r = func.call @{APPEND}(%addr, %end, %kind, %site) : (i64, i64, i64, i64) -> i64
  return
}}""",
    )
    # The open row of a site (OPEN[site mod OPEN_SLOTS]) grows when the access continues it
    # (same kind and site, starting inside or right at the end of its bytes); a row is open
    # only after the last mark (row 0, column 1) and before a flush.
    helpers.add(
        RECORD,
        f"""
func.func private @{RECORD}(%addr: i64, %bytes: i64, %site: i64, %write: i1) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1 : i64
  %mask = arith.constant {OPEN_SLOTS - 1} : i64
  %false = arith.constant false
  %log = memref.get_global @{LOG} : {t}
  %open = memref.get_global @{OPEN} : {c}
  %kind = arith.extui %write : i1 to i64
  %end = arith.addi %addr, %bytes : i64
  %slot64 = arith.andi %site, %mask : i64
  %slot = arith.index_cast %slot64 : i64 to index
  %r64 = memref.load %open[%slot] : {c}
  %n = memref.load %log[%c0, %c0] : {t}
  %mark = memref.load %log[%c0, %c1] : {t}
  %after = arith.cmpi sgt, %r64, %mark : i64
  %inside = arith.cmpi sle, %r64, %n : i64
  %live = arith.andi %after, %inside : i1
  %grown = scf.if %live -> (i1) {{
    %r = arith.index_cast %r64 : i64 to index
    %lo = memref.load %log[%r, %c0] : {t}
    %hi = memref.load %log[%r, %c1] : {t}
    %k = memref.load %log[%r, %c2] : {t}
    %s = memref.load %log[%r, %c3] : {t}
    %same_k = arith.cmpi eq, %k, %kind : i64
    %same_s = arith.cmpi eq, %s, %site : i64
    %from = arith.cmpi sge, %addr, %lo : i64
    %upto = arith.cmpi sle, %addr, %hi : i64
    %a = arith.andi %same_k, %same_s : i1
    %b = arith.andi %from, %upto : i1
    %ok = arith.andi %a, %b : i1
    scf.if %ok {{
      %h2 = arith.maxsi %hi, %end : i64
      memref.store %h2, %log[%r, %c1] : {t}
      %cnt = memref.load %log[%r, %c4] : {t}
      %cnt2 = arith.addi %cnt, %one : i64
      memref.store %cnt2, %log[%r, %c4] : {t}
    }}
    scf.yield %ok : i1
  }} else {{
    scf.yield %false : i1
  }}
  scf.if %grown {{
  }} else {{
    %new = func.call @{APPEND}(%addr, %end, %kind, %site) : (i64, i64, i64, i64) -> i64
    memref.store %new, %open[%slot] : {c}
  }}
  return
}}""",
    )


def read_rows(pointer: int, count: int) -> np.ndarray:
    """A copy of rows 1 .. count of the log at `pointer` (what the footprints hook passes)."""
    if count <= 0:
        return np.zeros((0, COLUMNS), np.int64)
    words = (ctypes.c_int64 * (COLUMNS * (count + 1))).from_address(pointer)
    return np.ctypeslib.as_array(words).reshape(count + 1, COLUMNS)[1:].copy()


__all__ = [
    "BEGIN",
    "END",
    "FLUSH",
    "LOG",
    "MARK",
    "READ",
    "RECORD",
    "WRITE",
    "declare",
    "read_rows",
]
