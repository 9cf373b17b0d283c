"""Lifetime safety on the MLIR Python bindings: a stale handle to an erased op, erasing an op that
still has uses, or loading the `pl` dialect twice into a Context kill the process (segfault or
abort) instead of raising (see notes/mlir-bindings.md). Each scenario here therefore runs in its
own Python process; it must exit 0, and what it prints (the IR it produced, results of checks)
is compared with what is expected, so a scenario that silently did nothing fails too.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Every kind of chunked loop the passes handle, plus an unchunked loop and a core-group scope.
SOURCE = """
func.func @kinds(%a: memref<?xf32>, %n: index, %lo: index, %m: i32) -> (f32, f32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %zero = arith.constant 0.0 : f32
  %z32 = arith.constant 0 : i32
  %one32 = arith.constant 1 : i32
  %s = scf.for %i = %lo to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %acc, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4, pl.parallel}
  scf.for %i = %c0 to %c10 step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4, pl.chunk_policy = "leading_full", pl.name_hint = "copy"}
  %z = scf.for %i = %c10 to %c10 step %c1 iter_args(%acc = %s) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %acc, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4}
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %i step %c1 {
      %x = memref.load %a[%j] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    } {pl.chunk = 2, pl.chunk_policy = "leading_full"}
  } {pl.chunk = 3}
  %r = scf.for %i = %z32 to %m step %one32 iter_args(%acc = %z32) -> (i32) : i32 {
    %t = arith.addi %acc, %i : i32
    scf.yield %t : i32
  } {pl.chunk = 8}
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  }
  scf.execute_region no_inline {
    scf.for %i = %c0 to %n step %c1 {
      %x = memref.load %a[%i] : memref<?xf32>
      memref.store %x, %a[%i] : memref<?xf32>
    } {pl.chunk = 4}
    scf.yield
  } {pl.at = "core_group", pl.name_hint = "scope"}
  return %s, %z, %r : f32, f32, i32
}
"""

# Loops that canonicalize deletes or folds after the split: a static zero-trip loop (its
# result is its init), one chunk (a pl.single_chunk region, which canonicalize keeps), a dead
# loop (no effects, result unused), and a dynamic one that stays.
FOLDABLE = """
func.func @zero(%a: memref<?xf32>) -> f32 {
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %init = arith.constant 7.0 : f32
  %r = scf.for %i = %c5 to %c5 step %c1 iter_args(%acc = %init) -> (f32) {
    %x = memref.load %a[%i] : memref<?xf32>
    %t = arith.addf %acc, %x : f32
    scf.yield %t : f32
  } {pl.chunk = 4}
  return %r : f32
}
func.func @one(%a: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
func.func @dead(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> (index) {
    %t = arith.addi %acc, %i : index
    scf.yield %t : index
  } {pl.chunk = 4}
  return
}
func.func @dyn(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %a[%i] : memref<?xf32>
  } {pl.chunk = 4}
  return
}
"""

PRELUDE = f"""
import gc
from mlir import ir
from mlir.dialects import irdl
from pypto_mlir.dialect import attrs
from pypto_mlir.dialect.context import has_pl, irdl_path, load_pl, make_context
from pypto_mlir.dialect.diagnostics import DiagnosedError
from pypto_mlir.dialect.verify import verify
from pypto_mlir.passes import PASSES, PIPELINES, build_pass_manager, split_chunked_loops

SOURCE = {SOURCE!r}
FOLDABLE = {FOLDABLE!r}


def functions(module):
    \"\"\"name -> printed text of each func.func of the module.\"\"\"
    return {{ir.StringAttr(f.attributes["sym_name"]).value: str(f)
             for f in module.body.operations if f.operation.name == "func.func"}}


def valid(module):
    assert module.operation.verify()
    assert verify(module) == 0
"""


def run_scenario(code: str) -> list[str]:
    """Runs PRELUDE + code in a fresh interpreter; returns its stdout lines."""
    proc = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, (
        f"exit code {proc.returncode} "
        f"({'signal ' + str(-proc.returncode) if proc.returncode < 0 else 'error'})"
        f"\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
    return proc.stdout.splitlines()


def test_every_pass_twice_on_one_module():
    """Each registered pass, applied twice to the same module (Python API, then a PassManager
    run twice): the module stays valid and the second application changes nothing. On the
    unsplit module a pass may refuse (DiagnosedError), and then must leave the IR unchanged."""
    lines = run_scenario("""
        ctx = make_context(sink=lambda d: None)

        def apply(cls, m):
            before = str(m)
            try:
                cls().apply(m)
                return "ok"
            except DiagnosedError:
                assert str(m) == before, "a refusing pass changed the IR"
                return "refused"

        for prep in ("source", "split"):
            for name, cls in sorted(PASSES.items()):
                m = ir.Module.parse(SOURCE, ctx)
                if prep == "split":
                    split_chunked_loops(m)
                first = apply(cls, m)
                once = str(m)
                valid(m)
                second = apply(cls, m)
                pm = build_pass_manager(f"builtin.module({name})", ctx)
                for _ in range(2):
                    try:
                        pm.run(m.operation)
                    except ir.MLIRError:
                        assert first == "refused"
                valid(m)
                print(prep, name, first, second, "same" if str(m) == once else "CHANGED")
    """)
    from pypto_mlir.passes import PASSES

    assert len(lines) == 2 * len(PASSES), lines
    for line in lines:
        prep, name, first, second, same = line.split()
        assert first == second, line
        assert same == "same", f"a second run of {name} changed the module ({prep} input)"
        if prep == "split" or name in ("pl-split-chunked-loops", "pl-verify"):
            assert first == "ok", line


def test_every_pipeline_twice_and_pass_manager_reuse():
    """Named pipelines and mixed pipelines: one PassManager run three times on one module (a
    fixpoint after the first run) and then on a fresh module (the same output)."""
    lines = run_scenario("""
        ctx = make_context()
        pipelines = sorted(PIPELINES) + [
            "pl-default{policy=leading_full}", "pl-default{unswitch=false}",
            "pl-verify, pl-split-chunked-loops, pl-unswitch-guards, pl-normalize-int-loops, "
            "canonicalize, cse",
        ]
        for p in pipelines:
            pm = build_pass_manager(f"builtin.module({p})", ctx)
            m = ir.Module.parse(SOURCE, ctx)
            outputs = []
            for _ in range(3):
                pm.run(m.operation)
                valid(m)
                outputs.append(str(m))
            fresh = ir.Module.parse(SOURCE, ctx)
            pm.run(fresh.operation)
            print(p.replace(" ", ""), len(set(outputs)), str(fresh) == outputs[0],
                  "pl.chunk " in outputs[0], outputs[0].count("scf.for") >= 8)
    """)
    assert len(lines) == 5, lines  # pl-accelerator, pl-default and the three above
    for line in lines:
        assert line.endswith(" 1 True False True"), line


def test_many_modules_in_one_context():
    """200 modules in one Context through one PassManager, with handles to every function kept
    across the runs (functions are not erased: the handles stay valid)."""
    lines = run_scenario("""
        ctx = make_context()
        pm = build_pass_manager("builtin.module(pl-default)", ctx)
        modules, funcs, outputs = [], [], set()
        for i in range(200):
            m = ir.Module.parse(SOURCE if i % 2 else FOLDABLE, ctx)
            funcs.extend(f.operation for f in m.body.operations)
            pm.run(m.operation)
            if i % 3 == 0:
                split_chunked_loops(m)  # the Python API on already-split IR: nothing to do
            modules.append(m)
            outputs.add(str(m))
        names = sorted({ir.StringAttr(f.attributes["sym_name"]).value for f in funcs})
        print(len(modules), len(funcs), len(outputs), " ".join(names))
        print(sum(str(f).count("pl.chunk ") for f in funcs))
        del modules, funcs
        gc.collect()
        m = ir.Module.parse(SOURCE, ctx)
        pm.run(m.operation)
        print(str(m) in outputs)
    """)
    assert lines == ["200 500 2 dead dyn kinds one zero", "0", "True"], lines


def test_pipelines_that_erase_what_a_pass_visited():
    """canonicalize between our passes deletes zero-trip and dead loops and inlines one-trip
    chunks; the passes after it must not touch anything it erased."""
    lines = run_scenario("""
        ctx = make_context()
        for p in [
            "pl-split-chunked-loops, canonicalize, pl-split-chunked-loops, cse, pl-verify",
            "pl-split-chunked-loops, canonicalize, pl-unswitch-guards, canonicalize, "
            "pl-unswitch-guards, cse",
            "pl-split-chunked-loops{policy=leading_full}, canonicalize, pl-unswitch-guards, "
            "pl-verify",
            "canonicalize, pl-default, canonicalize, pl-default",
        ]:
            m = ir.Module.parse(FOLDABLE, ctx)
            build_pass_manager(f"builtin.module({p})", ctx).run(m.operation)
            valid(m)
            f = functions(m)
            zero = f["zero"]
            print("zero", zero.count("scf.for"), "return %cst : f32" in zero,
                  "7.000000e+00" in zero)
            print("one", f["one"].count("scf.for"), 'pl.loop_origin = "chunk_inner"' in f["one"])
            print("dead", f["dead"].count("scf.for"))
            print("dyn", f["dyn"].count("scf.for") >= 2, "pl.chunk " in str(m))
    """)
    assert lines == ["zero 0 True True", "one 1 True", "dead 0", "dyn True False"] * 4, lines


def test_unswitch_after_canonicalize_on_split_output():
    """pl-unswitch-guards on split IR that canonicalize has already rewritten (folded constants,
    merged ops), run in the same process as the split that produced it."""
    lines = run_scenario("""
        ctx = make_context()
        m = ir.Module.parse(SOURCE, ctx)
        split = "builtin.module(pl-split-chunked-loops, canonicalize, cse)"
        build_pass_manager(split, ctx).run(m.operation)
        before = str(m).count("scf.for")
        unswitch = "builtin.module(pl-unswitch-guards, canonicalize, pl-unswitch-guards)"
        build_pass_manager(unswitch, ctx).run(m.operation)
        valid(m)
        print(before, str(m).count("scf.for"), str(m).count("scf.if") > 0)
    """)
    before, after, has_if = lines[0].split()
    assert int(after) > int(before) and has_if == "True", lines  # fast paths were added


def test_contexts_and_load_pl_are_idempotent():
    """make_context many times (all alive at once, then dropped); load_pl twice on one Context,
    on a raw Context, and on a Context where the user loaded our IRDL file themselves. The IRDL
    loads are counted: today's `pl` has no operations, so a second load would not abort yet (it
    does for a dialect with operations), and only the count shows that it did not happen."""
    lines = run_scenario("""
        loads = []
        real_load = irdl.load_dialects

        def counted_load(module):
            loads.append(1)
            return real_load(module)

        irdl.load_dialects = counted_load
        contexts = [make_context() for _ in range(50)]
        for ctx in contexts:
            load_pl(ctx)
            load_pl(ctx)
        m = ir.Module.parse(SOURCE, contexts[-1])
        split_chunked_loops(m)
        valid(m)
        del contexts, m
        gc.collect()
        print(len(loads))

        raw = ir.Context()
        print(has_pl(raw))
        load_pl(raw)
        load_pl(raw)
        print(has_pl(raw), len(loads))

        own = ir.Context()
        with own:
            real_load(ir.Module.parse(open(irdl_path()).read()))
        load_pl(own)                                   # must see it is there already
        m = ir.Module.parse(SOURCE, own)
        split_chunked_loops(m)
        valid(m)
        print(has_pl(own), "pl.chunk " in str(m), len(loads))

        for _ in range(100):
            ctx = make_context()
            m = ir.Module.parse(FOLDABLE, ctx)
            split_chunked_loops(m)
        # @dead, @dyn; @one (one chunk) is a pl.single_chunk region; @zero's loop is gone
        print(str(m).count('"chunk_outer"'), str(m).count("pl.single_chunk"), len(loads))
    """)
    assert lines == ["50", "False", "True 51", "True False 51", "2 1 151"], lines


def test_parse_and_run_after_a_failed_pass():
    """A failed pipeline (our verifier, mid-pipeline after canonicalize changed the IR) and a
    parse error leave the Context and the PassManager usable."""
    lines = run_scenario("""
        seen = []
        ctx = make_context(sink=seen.append)
        pm = build_pass_manager("builtin.module(pl-default)", ctx)
        bad = ir.Module.parse(SOURCE.replace("pl.chunk = 8", "pl.chunk = 0"), ctx)
        before = str(bad)
        try:
            pm.run(bad.operation)
        except ir.MLIRError:
            print("failed", [d.message for d in seen if d.severity == "error"])
        print(str(bad) == before)

        try:
            ir.Module.parse("func.func @f( {", ctx)
        except ir.MLIRError:
            print("parse error", len(seen))

        late = build_pass_manager("builtin.module(canonicalize, pl-verify)", ctx)
        m = ir.Module.parse(FOLDABLE + "func.func @k() attributes {pl.kernel = 3} { return }", ctx)
        try:
            late.run(m.operation)
        except ir.MLIRError:
            print("late failure", seen[-1].message)
        assert m.operation.verify()                     # still a valid module, printable
        print("scf.for" in str(m))

        good = ir.Module.parse(SOURCE, ctx)
        pm.run(good.operation)
        valid(good)
        print("pl.chunk " in str(good), len([d for d in seen if d.severity == "error"]))
    """)
    assert lines == [
        "failed [\"'pl.chunk' must be a positive integer, got 0\"]",
        "True",
        "parse error 2",
        "late failure 'pl.kernel' is a unit attribute (write it without a value), got 3 : i64",
        "True",
        "False 3",
    ], lines


def test_python_api_after_diagnosed_error():
    """split_chunked_loops refuses a module with one bad loop: it raises DiagnosedError, the IR
    is unchanged, handles taken before the error still work, and after fixing the attribute
    through them the same module splits."""
    lines = run_scenario("""
        ctx = make_context(sink=lambda d: None)
        m = ir.Module.parse(SOURCE.replace("pl.chunk = 3", "pl.chunk = -3"), ctx)
        loops = []

        def collect(op):
            if op.name == "scf.for":
                loops.append(op)
            return ir.WalkResult.ADVANCE

        m.operation.walk(collect, ir.WalkOrder.PRE_ORDER)
        before = str(m)
        try:
            split_chunked_loops(m)
        except DiagnosedError:
            print("refused", str(m) == before)
        try:
            split_chunked_loops(m, policy="bogus")
        except ValueError:
            print("bad policy", str(m) == before)
        chunks = [attrs.CHUNK.get(l) for l in loops]
        print(chunks)
        bad = next(l for l in loops if attrs.CHUNK.get(l) == -3)
        attrs.CHUNK.set(bad, 3)
        split_chunked_loops(m)
        valid(m)
        print("pl.chunk " in str(m), str(m).count('"chunk_outer"'))
    """)
    assert lines == [
        "refused True",
        "bad policy True",
        "[4, 4, 4, -3, 2, 8, None, 4]",
        "False 6",
    ], lines
