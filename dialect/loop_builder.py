"""Building chunked loops from Python with PyPTO's `range(start, stop, step)` semantics.

    with ir.InsertionPoint(block), ir.Location.unknown():
        with chunked_for(10, 0, -1, chunk=4, iter_args=[acc0]) as loop:
            (acc,) = loop.iter_args
            loop.yield_(arith.addf(acc, f(loop.iv)))
        total = loop.results[0]

The loop visits start, start+step, ... while the value is < stop (step > 0) or > stop (step < 0).
`scf.for` needs a positive step, so a descending loop is normalised: an ascending `scf.for` over
the trip count k in [0, T) (index), with `iv = start + k*step` computed at the top of the body in
the IV's type. Chunking then groups consecutive iterations of k, which are consecutive values
of the descending IV, as PyPTO's SplitChunkedLoops does (`idx = start + (o*C + i) * step`).

Attributes go through dialect/attrs.py, the one place that spells them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from mlir import ir
from mlir.dialects import arith, scf

from . import attrs
from .loop_arith import IndexBuilder, dynamic_trip_count, induction_value, static_trip_count

Bound: TypeAlias = int | ir.Value


def _int_range(t: ir.Type) -> tuple[int, int]:
    bits = 64 if isinstance(t, ir.IndexType) else ir.IntegerType(t).width
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def _resolve_iv_type(start: Bound, stop: Bound, iv_type: ir.Type | None) -> ir.Type:
    typed = [v.type for v in (start, stop) if isinstance(v, ir.Value)]
    for t in typed:
        if iv_type is not None and t != iv_type:
            raise TypeError(f"chunked_for: a bound has type {t} but iv_type is {iv_type}")
        if t != typed[0]:
            raise TypeError(f"chunked_for: start and stop have different types ({typed[0]}, {t})")
    t = iv_type or (typed[0] if typed else ir.IndexType.get())
    if not isinstance(t, (ir.IndexType, ir.IntegerType)):
        raise TypeError(f"chunked_for: the induction variable must be index or an integer, not {t}")
    return t


def _const(t: ir.Type, v: int) -> ir.Value:
    lo, hi = _int_range(t)
    if not lo <= v <= hi:
        raise ValueError(f"chunked_for: {v} does not fit in {t}")
    return arith.constant(t, v)


class ChunkedLoop:
    """The loop being built. Inside the `with`: `iv`, `iter_args`, `yield_(...)`; after it:
    `results`. `op` is the emitted `scf.for` (over k for a descending loop)."""

    def __init__(
        self,
        start: Bound,
        stop: Bound,
        step: int,
        *,
        chunk: int | None,
        policy: str | None,
        iter_args: Sequence[ir.Value],
        parallel: bool,
        iv_type: ir.Type | None,
        name_hint: str | None,
    ):
        if isinstance(step, bool) or not isinstance(step, int) or step == 0:
            raise ValueError(f"chunked_for: step must be a nonzero Python int, got {step!r}")
        if chunk is not None and (
            isinstance(chunk, bool) or not isinstance(chunk, int) or chunk <= 0
        ):
            raise ValueError(f"chunked_for: chunk must be a positive Python int, got {chunk!r}")
        if policy is not None:
            if chunk is None:
                raise ValueError("chunked_for: a chunk policy needs a chunk")
            if policy not in attrs.POLICIES:
                raise ValueError(
                    f"chunked_for: policy must be one of {', '.join(attrs.POLICIES)}, "
                    f"not {policy!r}"
                )
        for b in (start, stop):
            if not isinstance(b, ir.Value) and (isinstance(b, bool) or not isinstance(b, int)):
                raise TypeError(f"chunked_for: bounds must be Python ints or SSA values, got {b!r}")
        self._spec = (
            start,
            stop,
            step,
            chunk,
            policy,
            list(iter_args),
            parallel,
            iv_type,
            name_hint,
        )
        self.iv: ir.Value | None = None
        self.iter_args: tuple[ir.Value, ...] = ()
        self.op: scf.ForOp | None = None
        self._yielded: list[ir.Value] | None = None
        self._ip: ir.InsertionPoint | None = None
        self._done = False

    # -- building --------------------------------------------------------------------------
    def __enter__(self) -> ChunkedLoop:
        start, stop, step, chunk, policy, inits, parallel, iv_type, name_hint = self._spec
        t = _resolve_iv_type(start, stop, iv_type)
        _, hi = _int_range(t)
        if abs(step) > hi:
            raise ValueError(f"chunked_for: step {step} does not fit in {t}")
        if step > 0:
            lb = start if isinstance(start, ir.Value) else _const(t, start)
            ub = stop if isinstance(stop, ir.Value) else _const(t, stop)
            self.op = scf.ForOp(lb, ub, _const(t, step), inits)
        else:
            self._start = start if isinstance(start, ir.Value) else _const(t, start)
            self.op = scf.ForOp(
                _const(ir.IndexType.get(), 0),
                self._trip_count(start, stop, step, t),
                _const(ir.IndexType.get(), 1),
                inits,
            )
        if chunk is not None:
            attrs.CHUNK.set(self.op, chunk)
        if policy is not None:
            attrs.CHUNK_POLICY.set(self.op, policy)
        if parallel:
            attrs.PARALLEL.set(self.op, True)
        if name_hint is not None:
            attrs.NAME_HINT.set(self.op, name_hint)
        self._ip = ir.InsertionPoint(self.op.body)
        self._ip.__enter__()
        k = self.op.induction_variable
        self.iv = k if step > 0 else self._descending_iv(k, step, t)
        self.iter_args = tuple(self.op.inner_iter_args)
        return self

    @staticmethod
    def _trip_count(start: Bound, stop: Bound, step: int, t: ir.Type) -> ir.Value:
        """T = max(ceildiv(start - stop, -step), 0) as an index: the ascending trip count of
        [stop, start) with step -step, by the arithmetic the split pass uses."""
        index = ir.IndexType.get()
        if not isinstance(start, ir.Value) and not isinstance(stop, ir.Value):
            trips = static_trip_count(stop, start, -step, 64, unsigned=False)
            if trips > _int_range(index)[1]:
                raise ValueError(f"chunked_for: {trips} iterations do not fit in index")
            return _const(index, trips)
        s, e = (v if isinstance(v, ir.Value) else _const(t, v) for v in (start, stop))
        mag = _const(t, -step)
        return dynamic_trip_count(IndexBuilder(reuse=(s, e, mag)), e, s, mag, unsigned=False)

    def _descending_iv(self, k: ir.Value, step: int, t: ir.Type) -> ir.Value:
        """start + k*step in the IV's type (wrapping arithmetic is exact: the true value lies
        between stop and start)."""
        return induction_value(IndexBuilder(), k, self._start, _const(t, step))

    def yield_(self, *values: ir.Value) -> None:
        """The values the iteration passes on, one per iter_arg (in order)."""
        if self._done:
            raise RuntimeError("chunked_for: yield_ after the loop was closed")
        if self._yielded is not None:
            raise RuntimeError("chunked_for: yield_ called twice")
        if len(values) == 1 and isinstance(values[0], (list, tuple)):
            values = tuple(values[0])
        if len(values) != len(self.iter_args):
            raise ValueError(
                f"chunked_for: yield_ got {len(values)} value(s) for "
                f"{len(self.iter_args)} iter_arg(s)"
            )
        for j, (v, a) in enumerate(zip(values, self.iter_args, strict=False)):
            if v.type != a.type:
                raise TypeError(
                    f"chunked_for: yielded value {j} has type {v.type}, iter_arg {j} "
                    f"has type {a.type}"
                )
        self._yielded = list(values)

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._ip is not None, "__exit__ without __enter__"
        try:
            if exc_type is None:
                if self._yielded is None and self.iter_args:
                    raise ValueError(
                        "chunked_for: a loop with iter_args must call yield_(...) "
                        "with the next values"
                    )
                scf.YieldOp(self._yielded or [])
        finally:
            self._ip.__exit__(exc_type, exc, tb)
            self._done = True

    @property
    def results(self) -> tuple[ir.Value, ...]:
        """The loop's results (the final iter_args); available once the `with` is closed."""
        if not self._done:
            raise RuntimeError("chunked_for: results are available after the with-block")
        assert self.op is not None  # created by __enter__, which ran before the block closed
        return tuple(self.op.results)


def chunked_for(
    start: Bound,
    stop: Bound,
    step: int = 1,
    *,
    chunk: int | None = None,
    policy: str | None = None,
    iter_args: Sequence[ir.Value] = (),
    parallel: bool = False,
    iv_type: ir.Type | None = None,
    name_hint: str | None = None,
) -> ChunkedLoop:
    """A context manager that emits a (chunked) loop at the current insertion point.

    start, stop: Python ints or SSA values (index or integer); step: a nonzero Python int,
    negative for a descending loop. chunk: iterations per chunk (None: a plain loop);
    policy: "guarded" or "leading_full" (None: the pass option decides); parallel: mark the
    loop `pl.parallel`; iv_type: the IV's type when both bounds are ints (default index).
    """
    return ChunkedLoop(
        start,
        stop,
        step,
        chunk=chunk,
        policy=policy,
        iter_args=iter_args,
        parallel=parallel,
        iv_type=iv_type,
        name_hint=name_hint,
    )


__all__ = ["ChunkedLoop", "chunked_for"]
