"""The random programs of pypto-fuzz: what one case is, how it is drawn from a seed, how it is
built with the builder API, what its iteration log must be, and how it is made smaller.

A program is a loop nest of depth 1-3. Each loop has its own IV type (index, i32, i64), a step
of 1-4, static or dynamic bounds (dynamic ones are kernel arguments, given per call), an optional
chunk of 1-9, optionally `pl.parallel` and a `pl.chunk_policy`. Values of int and float types
are carried through every level in iter_args. The innermost body records each iteration in a
log (the mixed IVs, in visit order), updates a data array at an address derived from the IVs
(read-modify-write, so a repeated or skipped iteration shows) and the carried values (in an
order-sensitive way). Outer levels may log a marker before their inner loop and update the
carried values after it. Every chunked variant must reproduce all of it bit for bit.

Kernel signature: (log: memref<?xi64>, data: memref<?xi64>, <dynamic bounds, lb then ub per
dynamic loop, outer first>, <carried inits>) -> <carried types>.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from mlir import ir
from mlir.dialects import arith, func, memref, scf

from ..dialect import attrs
from ..dialect.loop_builder import chunked_for

IV_TYPES = ("index", "i32", "i64")
CARRIED_TYPES = ("i32", "i64", "f32", "f64")
POLICIES = ("guarded", "leading_full")
LOG_CAP = 4099  # log[0] is the count; slots 1.. hold entries; the last slot absorbs overflow
DATA_SIZE = 61
MAX_ITERATIONS = 3000  # of the whole nest, per call
MIX = 1000003
MARK = -0x61C8864680B583EB  # a 64-bit odd constant, distinct per level once multiplied


def _bits(t: str) -> int:
    return 64 if t == "index" else int(t[1:])


def _limits(t: str, unsigned: bool = False) -> tuple[int, int]:
    b = _bits(t)
    if unsigned:
        return 0, (1 << b) - 1
    return -(1 << (b - 1)), (1 << (b - 1)) - 1


def signed_bits(v: int, t: str) -> int:
    """The value of `v`'s bits in type `t`, read signed (how constants and arguments carry an
    unsigned loop's bounds)."""
    b = _bits(t)
    v &= (1 << b) - 1
    return v - (1 << b) if v >= 1 << (b - 1) else v


def arg_type(lp: Loop) -> str:
    """The type of a dynamic level's kernel arguments."""
    if lp.handwritten:
        return "index"
    return "i32" if lp.form == "extended" else lp.iv_type


def arg_value(lp: Loop, v: int) -> int:
    return signed_bits(v, arg_type(lp))


def wrap64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


@dataclass(frozen=True)
class Loop:
    iv_type: str
    step: int
    chunk: int | None
    static: tuple[int, int] | None  # (lb, ub) when the bounds are constants
    parallel: bool = False
    policy: str | None = None  # pl.chunk_policy on the loop (only with a chunk)
    marker: bool = False  # log a marker before the inner loop (outer levels)
    update_after: bool = False  # change the carried values after the inner loop
    unsigned: bool = False  # `scf.for unsigned` (integer IVs): bounds and step read unsigned
    # How the bounds reach the loop: "plain" (constants or kernel arguments), "folded" (static
    # bounds as arithmetic on constants, which canonicalize folds only later), "extended" (i64 or
    # index bounds extended from i32 constants or arguments).
    form: str = "plain"
    # A hand-written chunk loop (innermost level only): `for i in [0, C) { k = cs + i; if k < T
    # {body(k)} } {pl.loop_origin = "chunk_inner"}` with C = chunk, cs = o*C + off (o: the IV of
    # the level above, 0 at the top); its (lb, ub) pair is (off, T). `carried_bound`: T is
    # passed through the loop's iter_args.
    handwritten: bool = False
    carried_bound: bool = False


@dataclass(frozen=True)
class Program:
    loops: tuple[Loop, ...]
    carried: tuple[str, ...]
    # A body that only stores (data[h mod N] = h): re-running an iteration changes nothing, so
    # the shift_inwards policy is legal. No log, no markers, nothing carried.
    idempotent: bool = False
    # Upstream passes a variant runs before its own pipeline (after pl-normalize-int-loops, as
    # pypto-run runs a pipeline of the user's): the "pipelines" classes of tools/fuzz_classes.py.
    pipeline: tuple[str, ...] = ()
    # The nest lives in a private function that the kernel calls with its static bounds as
    # constant arguments (inline makes them constants again).
    callee: bool = False
    klass: str = "classic"  # the class it was drawn for (tools/fuzz_classes.py)

    @property
    def dynamic(self) -> list[int]:
        """Levels whose bounds are kernel arguments."""
        return [i for i, lp in enumerate(self.loops) if lp.static is None]


@dataclass(frozen=True)
class Call:
    bounds: tuple[tuple[int, int], ...]  # (lb, ub) per dynamic level, outer first
    inits: tuple[int | float, ...] = ()  # one per carried value

    def bounds_of(self, program: Program) -> list[tuple[int, int]]:
        it = iter(self.bounds)
        return [lp.static if lp.static is not None else next(it) for lp in program.loops]


@dataclass
class Case:
    program: Program
    calls: list[Call] = field(default_factory=list)


# -- drawing a case ----------------------------------------------------------------------------


def _trip_counts(rng: random.Random, chunk: int | None, budget: int) -> int:
    c = chunk or rng.randint(2, 6)
    choices = [
        0,
        1,
        c - 1,
        c,
        c + 1,
        2 * c + rng.randint(0, c),
        rng.randint(0, 5 * c + 3),
        rng.randint(20, 60),
        rng.randint(100, max(100, budget)),
    ]
    t = max(0, rng.choice(choices))
    return min(t, budget)


def draw_bounds(rng: random.Random, t: str, step: int, trips: int) -> tuple[int, int]:
    """(lb, ub) with max(ceildiv(ub - lb, step), 0) == trips, both in the IV type's range; the
    range is placed at zero, at random, or against the type's lower or upper limit.

    For index loops the exit value lb + T*step must fit too: a dynamic index loop is lowered
    as written (pl-normalize-int-loops leaves it alone), so `iv + step` would wrap and the
    unchunked reference would not stop."""
    lo, hi = _limits(t)
    if t == "index":
        hi -= step
    if trips == 0:
        where = rng.choice(("zero", "low", "high", "random"))
        base = {
            "zero": rng.randint(-20, 20),
            "low": lo + rng.randint(0, 5),
            "high": hi - rng.randint(0, 5),
            "random": rng.randint(lo, hi),
        }[where]
        return base, max(lo, base - rng.randint(0, 9))  # ub <= lb
    span = (trips - 1) * step + rng.randint(1, step)  # ceildiv(span, step) == trips
    where = rng.choice(("zero", "zero", "low", "high", "random"))
    if where == "low":
        lb = lo + rng.randint(0, 3)
    elif where == "high":
        lb = hi - span - rng.randint(0, 3)  # ub = lb + span ends at most at the limit
    elif where == "random":
        lb = rng.randint(lo, hi - span)
    else:
        lb = rng.randint(-10, 10)
    lb = max(lo, min(lb, hi - span))
    return lb, lb + span


def draw_case(rng: random.Random, calls: int = 4) -> Case:
    depth = rng.choice((1, 1, 2, 2, 3))
    loops = []
    for level in range(depth):
        chunk = rng.randint(1, 9) if rng.random() < 0.75 else None
        loops.append(
            Loop(
                iv_type=rng.choice(IV_TYPES),
                step=rng.randint(1, 4),
                chunk=chunk,
                static=None,
                parallel=rng.random() < 0.3,
                policy=rng.choice(POLICIES) if chunk is not None and rng.random() < 0.3 else None,
                marker=level < depth - 1 and rng.random() < 0.5,
                update_after=level < depth - 1 and rng.random() < 0.5,
            )
        )
    if all(lp.chunk is None for lp in loops):
        i = rng.randrange(depth)
        loops[i] = replace(loops[i], chunk=rng.randint(1, 9))
    budget = MAX_ITERATIONS
    per_level = max(2, int(round(budget ** (1 / depth))))
    # Static levels get their bounds now; dynamic ones per call.
    for i, lp in enumerate(loops):
        if rng.random() < 0.4:
            trips = _trip_counts(rng, lp.chunk, per_level)
            loops[i] = replace(lp, static=draw_bounds(rng, lp.iv_type, lp.step, trips))
    carried = tuple(rng.choice(CARRIED_TYPES) for _ in range(rng.choice((0, 1, 1, 2, 3))))
    idempotent = not carried and rng.random() < 0.4
    if idempotent:
        loops = [replace(lp, marker=False, update_after=False) for lp in loops]
    program = Program(tuple(loops), carried, idempotent)
    case = Case(program)
    for _ in range(calls if program.dynamic else 1):
        bounds = tuple(
            draw_bounds(
                rng, loops[i].iv_type, loops[i].step, _trip_counts(rng, loops[i].chunk, per_level)
            )
            for i in program.dynamic
        )
        case.calls.append(Call(bounds, tuple(_init(rng, t) for t in carried)))
    return case


def _init(rng: random.Random, t: str):
    if t.startswith("f"):
        return rng.choice((0.0, 1.5, -2.25, rng.uniform(-1e3, 1e3)))
    lo, hi = _limits(t)
    return rng.choice((0, 1, -1, rng.randint(lo, hi)))


# -- the Python model of the iteration log ---------------------------------------------------


def iterations(lb: int, ub: int, step: int) -> range:
    return range(lb, ub, step)


def expected_log(program: Program, call: Call, size: int = LOG_CAP) -> list[int] | None:
    """The log array of `size` slots the kernel must leave (count, then entries), or None when
    the nest logs more entries than LOG_CAP (too long to model cheaply)."""
    entries: list[int] = []
    bounds = call.bounds_of(program)
    if program.idempotent:
        return [0] * size  # nothing is logged

    def run(level: int, h: int, outer_iv: int) -> None:
        lp = program.loops[level]
        lb, ub = bounds[level]
        ivs: Iterable[int]
        if lp.handwritten:  # (lb, ub) is (off, T); k and T compare as unsigned 64-bit values
            chunk = lp.chunk or 1
            start = outer_iv * chunk + lb
            ivs = [k for k in (wrap64(start + i) for i in range(chunk)) if k % 2**64 < ub % 2**64]
        else:
            ivs = iterations(lb, ub, lp.step)
        for iv in ivs:
            hv = wrap64(h * MIX) ^ wrap64(iv)
            if level == len(program.loops) - 1:
                entries.append(hv)
            else:
                if lp.marker:
                    entries.append(wrap64(hv * MIX) ^ wrap64(MARK * (level + 1)))
                run(level + 1, hv, iv)
            if len(entries) > LOG_CAP:
                raise OverflowError

    try:
        run(0, 0, 0)
    except OverflowError:
        return None
    log = [0] * size
    log[0] = len(entries)
    for n, e in enumerate(entries):
        log[min(n + 1, size - 1)] = e
    return log


def trip_count(lp: Loop, lb: int, ub: int) -> int:
    """Iterations of one level (a hand-written chunk loop runs its chunk), by arithmetic: a
    range of more than 2**63 values has no len()."""
    if lp.handwritten:
        return lp.chunk or 0
    return max(0, -(-(ub - lb) // lp.step))


def total_iterations(program: Program, call: Call) -> int:
    n, total = 1, 0
    for (lb, ub), lp in zip(call.bounds_of(program), program.loops, strict=False):
        n *= trip_count(lp, lb, ub)
        total += n
    return total


# -- building the kernel with the builder API ------------------------------------------------


def _type(t: str) -> ir.Type:
    if t == "index":
        return ir.IndexType.get()
    if t.startswith("f"):
        return ir.F32Type.get() if t == "f32" else ir.F64Type.get()
    return ir.IntegerType.get_signless(int(t[1:]))


def kernel_signature(program: Program) -> tuple[list[ir.Type], list[ir.Type]]:
    i64 = ir.IntegerType.get_signless(64)
    dyn = ir.ShapedType.get_dynamic_size()
    mem = ir.MemRefType.get([dyn], i64)
    inputs = [mem, mem]
    for i in program.dynamic:
        t = _type(arg_type(program.loops[i]))
        inputs += [t, t]
    inputs += [_type(t) for t in program.carried]
    return inputs, [_type(t) for t in program.carried]


class _Body:
    """Emits the body ops at the current insertion point."""

    def __init__(self, log: ir.Value, data: ir.Value):
        self.i64 = ir.IntegerType.get_signless(64)
        self.index = ir.IndexType.get()
        self.log, self.data = log, data

    def c64(self, v: int) -> ir.Value:
        return arith.constant(self.i64, v)

    def as_i64(self, iv: ir.Value, t: str, unsigned: bool = False) -> ir.Value:
        if t == "index":
            return arith.index_cast(self.i64, iv)
        if t == "i64":
            return iv
        return arith.extui(self.i64, iv) if unsigned else arith.extsi(self.i64, iv)

    def mix(self, h: ir.Value, v: ir.Value) -> ir.Value:
        return arith.xori(arith.muli(h, self.c64(MIX)), v)

    def append(self, value: ir.Value) -> None:
        c0 = arith.constant(self.index, 0)
        pos = memref.load(self.log, [c0])
        nxt = arith.addi(pos, self.c64(1))
        # The last slot of the log absorbs what does not fit: never a store out of bounds.
        last = arith.subi(memref.dim(self.log, c0), arith.constant(self.index, 1))
        slot = arith.minui(arith.index_cast(self.index, nxt), last)
        memref.store(value, self.log, [slot])
        memref.store(nxt, self.log, [c0])

    def touch(self, h: ir.Value) -> None:
        at = arith.index_castui(self.index, arith.remui(h, self.c64(DATA_SIZE)))
        old = memref.load(self.data, [at])
        memref.store(arith.addi(arith.muli(old, self.c64(3)), h), self.data, [at])

    def put(self, h: ir.Value) -> None:
        """data[h mod N] = h: a store only, the same every time the iteration runs."""
        at = arith.index_castui(self.index, arith.remui(h, self.c64(DATA_SIZE)))
        memref.store(h, self.data, [at])

    def update(self, values, types, h: ir.Value) -> list[ir.Value]:
        out = []
        for v, t in zip(values, types, strict=False):
            if t == "i64":
                out.append(arith.addi(arith.muli(v, self.c64(31)), h))
            elif t == "i32":
                i32 = ir.IntegerType.get_signless(32)
                out.append(arith.addi(arith.muli(v, arith.constant(i32, 31)), arith.trunci(i32, h)))
            else:
                ft = _type(t)
                small = arith.sitofp(ft, arith.remsi(h, self.c64(1000)))
                out.append(arith.addf(arith.mulf(v, arith.constant(ft, 0.75)), small))
        return out

    def after(self, values, types, v: ir.Value) -> list[ir.Value]:
        out = []
        for x, t in zip(values, types, strict=False):
            if t.startswith("f"):
                out.append(arith.addf(x, arith.constant(_type(t), 1.0)))
            elif t == "i64":
                out.append(arith.xori(x, v))
            else:
                out.append(arith.xori(x, arith.trunci(_type(t), v)))
        return out


def build_kernel(
    program: Program, name: str, *, with_pl: bool = True, policy: str | None = None
) -> func.FuncOp:
    """Emits the kernel at the current insertion point (a module body) and returns it.
    `with_pl=False` builds the same loops without any pl.* attribute (the reference);
    `policy` overrides the pl.chunk_policy of every chunked loop. A `callee` program puts the
    nest in a private function `<name>_nest` (emitted first) that gets every bound as an
    argument: the kernel passes the static ones as constants."""
    inputs, results = kernel_signature(program)
    nest = None
    if program.callee:
        nest = _nest_function(program, f"{name}_nest", with_pl, policy)
    fn = func.FuncOp(name, (inputs, results))
    with ir.InsertionPoint(fn.add_entry_block()):
        args = list(fn.arguments)
        dyn_args = iter(args[2 : 2 + 2 * len(program.dynamic)])
        inits = args[2 + 2 * len(program.dynamic) :]
        bounds = []
        for lp in program.loops:
            if lp.static is None:
                bounds.append(_extended(lp, (next(dyn_args), next(dyn_args))))
            else:
                bounds.append(_static_bounds(lp, lp.static))
        if nest is not None:
            flat = [v for pair in bounds for v in pair]
            call = func.CallOp(nest, [args[0], args[1], *flat, *inits])
            func.ReturnOp(list(call.results))
            return fn
        body = _Body(args[0], args[1])
        out = _build_level(
            program, 0, bounds, list(inits), body.c64(0), None, body, with_pl, policy
        )
        func.ReturnOp(out)
    return fn


def _nest_function(program: Program, name: str, with_pl: bool, policy: str | None) -> func.FuncOp:
    """The private function holding the nest: (log, data, (lb, ub) per level, inits)."""
    inputs, results = kernel_signature(program)
    types = inputs[:2]
    for lp in program.loops:
        t = _type(lp.iv_type if not lp.handwritten else "index")
        types += [t, t]
    types += inputs[2 + 2 * len(program.dynamic) :]
    fn = func.FuncOp(name, (types, results), visibility="private")
    with ir.InsertionPoint(fn.add_entry_block()):
        args = list(fn.arguments)
        n = len(program.loops)
        bounds = [(args[2 + 2 * i], args[3 + 2 * i]) for i in range(n)]
        body = _Body(args[0], args[1])
        inits = list(args[2 + 2 * n :])
        out = _build_level(program, 0, bounds, inits, body.c64(0), None, body, with_pl, policy)
        func.ReturnOp(out)
    return fn


def _const(t: str, v: int) -> ir.Value:
    return arith.constant(_type(t), signed_bits(v, t))


def _widen_i32(lp: Loop, v: ir.Value) -> ir.Value:
    """An i32 value as the loop's i64 or index bound (zero-extended for unsigned loops)."""
    t = _type(lp.iv_type)
    if lp.iv_type == "index":
        return arith.index_castui(t, v) if lp.unsigned else arith.index_cast(t, v)
    return arith.extui(t, v) if lp.unsigned else arith.extsi(t, v)


def _extended(lp: Loop, pair: tuple[ir.Value, ir.Value]) -> tuple[ir.Value, ir.Value]:
    if lp.form != "extended" or lp.handwritten:
        return pair
    return _widen_i32(lp, pair[0]), _widen_i32(lp, pair[1])


def _static_bounds(lp: Loop, pair: tuple[int, int]) -> tuple[ir.Value, ir.Value]:
    """The constant bounds of a static level, written as its form asks."""
    t = "index" if lp.handwritten else lp.iv_type
    if lp.form == "extended" and not lp.handwritten:
        return _widen_i32(lp, _const("i32", pair[0])), _widen_i32(lp, _const("i32", pair[1]))
    if lp.form == "folded":
        out = []
        for v in pair:  # v = (v + d) - d, in the type's wrapping arithmetic
            d = signed_bits(v * 0x9E3779B1 + 0x7F4A7C15, t)
            out.append(arith.subi(_const(t, v + d), _const(t, d)))
        return out[0], out[1]
    return _const(t, pair[0]), _const(t, pair[1])


class _Loop:
    """An scf.for built directly, for what chunked_for does not build: `unsigned` loops (a step
    above the signed maximum) and hand-written chunk loops. The interface of ChunkedLoop."""

    def __init__(self, lb, ub, step, inits, attributes: dict[str, ir.Attribute]):
        self.op = scf.ForOp(lb, ub, step, inits)
        for k, v in attributes.items():
            self.op.operation.attributes[k] = v
        self.iv = self.op.induction_variable
        self.iter_args = tuple(self.op.inner_iter_args)
        self._ip = ir.InsertionPoint(self.op.body)
        self._yielded: list[ir.Value] = []

    def __enter__(self) -> _Loop:
        self._ip.__enter__()
        return self

    def yield_(self, values) -> None:
        self._yielded = list(values)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            scf.YieldOp(self._yielded)
        self._ip.__exit__(exc_type, exc, tb)

    @property
    def results(self) -> tuple[ir.Value, ...]:
        return tuple(self.op.results)


def _pl_attributes(lp: Loop, with_pl: bool, policy: str | None) -> dict[str, ir.Attribute]:
    out: dict[str, ir.Attribute] = {}
    if not with_pl or lp.chunk is None:
        return out
    out[attrs.CHUNK.name] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), lp.chunk)
    if policy is not None:
        out[attrs.CHUNK_POLICY.name] = attrs.CHUNK_POLICY.attribute(policy)
    if lp.parallel:
        out[attrs.PARALLEL.name] = ir.UnitAttr.get()
    return out


def _open_loop(lp: Loop, lb, ub, carried, with_pl: bool, policy: str | None):
    t = _type(lp.iv_type)
    if lp.unsigned:
        attributes = _pl_attributes(lp, with_pl, policy)
        attributes["unsignedCmp"] = ir.UnitAttr.get()
        return _Loop(lb, ub, _const(lp.iv_type, lp.step), carried, attributes)
    return chunked_for(
        lb,
        ub,
        lp.step,
        chunk=lp.chunk if with_pl else None,
        policy=policy,
        iter_args=carried,
        parallel=lp.parallel and with_pl,
        iv_type=t,
    )


def _handwritten_chunk(
    program: Program, lp: Loop, off, trips, outer_iv, carried, h, body: _Body, with_pl: bool
) -> list[ir.Value]:
    """The innermost level as a hand-written chunk loop (see Loop.handwritten)."""
    index = ir.IndexType.get()
    start = off
    if outer_iv is not None:
        start = arith.addi(arith.muli(outer_iv, arith.constant(index, lp.chunk)), off)
    inits = list(carried) + ([trips] if lp.carried_bound else [])
    attributes = {}
    if with_pl:
        attributes[attrs.LOOP_ORIGIN.name] = attrs.LOOP_ORIGIN.attribute(attrs.CHUNK_INNER)
    c0, c1 = arith.constant(index, 0), arith.constant(index, 1)
    with _Loop(c0, arith.constant(index, lp.chunk), c1, inits, attributes) as loop:
        values = list(loop.iter_args)
        bound = values.pop() if lp.carried_bound else trips
        k = arith.addi(start, loop.iv)
        in_range = arith.cmpi(arith.CmpIPredicate.ult, k, bound)
        types = [v.type for v in loop.iter_args]
        branch = scf.IfOp(in_range, types, has_else=bool(types))
        with ir.InsertionPoint(branch.then_block):
            hv = body.mix(h, body.as_i64(k, "index"))
            new = _innermost(program, body, values, hv)
            scf.YieldOp(new + ([bound] if lp.carried_bound else []))
        if types:
            with ir.InsertionPoint(branch.else_block):
                scf.YieldOp(list(loop.iter_args))
        loop.yield_(list(branch.results))
    results = list(loop.results)
    return results[: len(carried)]


def _innermost(program: Program, body: _Body, values, hv) -> list[ir.Value]:
    if program.idempotent:
        body.put(hv)
        return list(values)
    body.append(hv)
    body.touch(hv)
    return body.update(values, program.carried, hv)


def _build_level(
    program: Program,
    level: int,
    bounds,
    carried,
    h,
    outer_iv,
    body: _Body,
    with_pl: bool,
    override: str | None,
):
    lp = program.loops[level]
    lb, ub = bounds[level]
    if lp.handwritten:
        return _handwritten_chunk(program, lp, lb, ub, outer_iv, carried, h, body, with_pl)
    policy = (override or lp.policy) if with_pl and lp.chunk is not None else None
    with _open_loop(lp, lb, ub, carried, with_pl, policy) as loop:
        hv = body.mix(h, body.as_i64(loop.iv, lp.iv_type, lp.unsigned))
        values = list(loop.iter_args)
        if level == len(program.loops) - 1:
            values = _innermost(program, body, values, hv)
        else:
            if lp.marker:
                body.append(
                    arith.xori(arith.muli(hv, body.c64(MIX)), body.c64(wrap64(MARK * (level + 1))))
                )
            values = _build_level(
                program, level + 1, bounds, values, hv, loop.iv, body, with_pl, override
            )
            if lp.update_after:
                values = body.after(values, program.carried, hv)
        loop.yield_(values)
    return list(loop.results)


# -- making a failing case smaller -----------------------------------------------------------


def _without_level(case: Case, level: int) -> Case:
    p = case.program
    loops = list(p.loops)
    del loops[level]
    dyn_pos = p.dynamic.index(level) if level in p.dynamic else None
    calls = []
    for c in case.calls:
        b = list(c.bounds)
        if dyn_pos is not None:
            del b[dyn_pos]
        calls.append(Call(tuple(b), c.inits))
    if loops:
        last = len(loops) - 1
        loops[last] = replace(loops[last], marker=False, update_after=False)
    return Case(replace(p, loops=tuple(loops)), calls)


def _smaller_bounds(t: str, step: int, lb: int, ub: int) -> list[tuple[int, int]]:
    trips = max(0, -(-(ub - lb) // step))
    out = []
    for n in sorted({0, 1, trips // 2, trips - 1}):
        if 0 <= n < trips:
            out.append((lb, lb + n * step) if n else (lb, lb))
    lo, hi = _limits(t)
    if lb != 0 and trips * step <= hi:
        out.append((0, (ub - lb) if ub > lb else 0))
    return out


def shrink_candidates(case: Case):
    """Smaller versions of `case`, most promising first: one call, fewer levels, fewer carried
    values, unchunked or simpler loops, smaller and plainer bounds."""
    p = case.program
    if len(case.calls) > 1:
        for c in case.calls:
            yield Case(p, [c])
    for level in range(len(p.loops)):
        if len(p.loops) > 1:
            yield _without_level(case, level)
    for j in range(len(p.carried)):
        carried = p.carried[:j] + p.carried[j + 1 :]
        yield Case(
            replace(p, carried=carried),
            [Call(c.bounds, c.inits[:j] + c.inits[j + 1 :]) for c in case.calls],
        )
    for i, lp in enumerate(p.loops):
        simpler = []
        if lp.handwritten:
            pass  # its chunk is its shape; its (off, T) pair shrinks with the dynamic bounds
        elif lp.chunk is not None and any(
            q.chunk is not None for k, q in enumerate(p.loops) if k != i
        ):
            simpler.append(replace(lp, chunk=None, policy=None))
        if lp.chunk is not None and lp.chunk > 2 and not lp.handwritten:
            simpler.append(replace(lp, chunk=lp.chunk // 2 + 1))
        if lp.parallel:
            simpler.append(replace(lp, parallel=False))
        if lp.marker:
            simpler.append(replace(lp, marker=False))
        if lp.update_after:
            simpler.append(replace(lp, update_after=False))
        if lp.policy is not None:
            simpler.append(replace(lp, policy=None))
        for new in simpler:
            loops = list(p.loops)
            loops[i] = new
            yield Case(replace(p, loops=tuple(loops)), case.calls)
        if lp.static is not None:
            for b in _smaller_bounds(lp.iv_type, lp.step, *lp.static):
                loops = list(p.loops)
                loops[i] = replace(lp, static=b)
                yield Case(replace(p, loops=tuple(loops)), case.calls)
    for pos, level in enumerate(p.dynamic):
        lp = p.loops[level]
        for c_idx, c in enumerate(case.calls):
            for b in _smaller_bounds(lp.iv_type, lp.step, *c.bounds[pos]):
                bounds = list(c.bounds)
                bounds[pos] = b
                calls = list(case.calls)
                calls[c_idx] = Call(tuple(bounds), c.inits)
                yield Case(p, calls)
        # A dynamic level whose bounds are the same in every call can become static.
        if len({c.bounds[pos] for c in case.calls}) == 1:
            loops = list(p.loops)
            loops[level] = replace(lp, static=case.calls[0].bounds[pos])
            calls = [Call(c.bounds[:pos] + c.bounds[pos + 1 :], c.inits) for c in case.calls]
            yield Case(replace(p, loops=tuple(loops)), calls)
    for j, t in enumerate(p.carried):
        for c_idx, c in enumerate(case.calls):
            zero = 0.0 if t.startswith("f") else 0
            if c.inits[j] != zero:
                calls = list(case.calls)
                calls[c_idx] = Call(c.bounds, c.inits[:j] + (zero,) + c.inits[j + 1 :])
                yield Case(p, calls)


def valid(case: Case) -> bool:
    """Every bound fits the type it is passed or written in (a shrink step may break that)."""
    p = case.program

    def fits(lp: Loop, v: int) -> bool:
        t = "index" if lp.handwritten else ("i32" if lp.form == "extended" else lp.iv_type)
        lo, hi = _limits(t, lp.unsigned and not lp.handwritten)
        return lo <= v <= hi

    for call in case.calls:
        for lp, pair in zip(p.loops, call.bounds_of(p), strict=True):
            if not all(fits(lp, v) for v in pair):
                return False
    return True


def size(case: Case) -> tuple[int, ...]:
    """An ordering of cases: a shrink step must make this smaller."""
    p = case.program
    trips = sum(total_iterations(p, c) for c in case.calls)
    flags = sum(
        lp.parallel + lp.marker + lp.update_after + (lp.policy is not None) + (lp.chunk or 0)
        for lp in p.loops
    )
    return (
        len(case.calls),
        len(p.loops),
        len(p.carried),
        flags,
        trips,
        sum(abs(b) for c in case.calls for pair in c.bounds for b in pair)
        + sum(abs(b) for lp in p.loops if lp.static for b in lp.static),
    )
