"""The per-lane slow paths of vector accesses: when a vector access does not fit its memref as a
whole, a helper function accesses the lanes in bounds one by one, calls the fault hook once per
faulting lane (lane number, the lane's element indices) and yields 0 for them. Lanes a mask
disables, and lanes past the end of a transfer dimension that is not `in_bounds`, are not
accessed and do not fault.

One helper per (kind, memref type, vector type, in_bounds, mask, races), built with the op
builders; a load helper, in outline:

    %res = scf.for %f = 0 to N step 1 iter_args(%acc = zeros) {      N = lanes of the vector
      idx = indices + the lane's position in the vector (along the last vector-rank dims)
      %v = scf.if attempt(%f) {                  mask bit, and for a padded transfer: inside
        %x = scf.if valid & idx < dims { memref.load } else { fault(site, lane, idx); 0 }
        vector.insert %x, %acc[%f]
      } else { vector.insert padding or pass-through, %acc[%f] }
    }
"""

from __future__ import annotations

from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, func, memref, scf, vector

from . import races
from .generated_functions import Helpers
from .instrument_ir import (
    DYNAMIC,
    Consts,
    all_of,
    call_fault_hook,
    i1_t,
    i64_t,
    index_t,
    is_strided,
    num_elements,
    ult,
)

LOADS = ("vload", "mload", "tread")


def slow_path(
    helpers: Helpers,
    kind: str,
    mtype: ir.MemRefType,
    vtype: ir.VectorType,
    in_bounds: bool,
    has_mask: bool,
    race: bool,
) -> str:
    """The helper that performs a vector access lane by lane. Parameters: the memref, its
    indices, then per kind (vstore/twrite: the value; mload: mask, pass-through; mstore: mask,
    value; tread: padding[, mask]; twrite: value[, mask]), then the view's flag and the site."""
    key = ("slow_" + kind, str(mtype), str(vtype), in_bounds, has_mask, race)
    path = _SlowPath(kind, mtype, vtype, in_bounds, has_mask)
    elem_race = races.element_helper(helpers, mtype) if race else None
    return helpers.function(key, path.function_type(), lambda fn, entry: path.build(fn, elem_race))


@dataclass
class _SlowPath:
    kind: str
    mtype: ir.MemRefType
    vtype: ir.VectorType
    in_bounds: bool
    has_mask: bool

    @property
    def load(self) -> bool:
        return self.kind in LOADS

    def extra_params(self) -> list[tuple[str, ir.Type]]:
        """The parameters after the indices, before the flag and the site."""
        v = self.vtype
        mask = [("mask", ir.VectorType.get(list(v.shape), i1_t()))]
        optional_mask = mask if self.has_mask else []
        return {
            "vload": [],
            "vstore": [("val", v)],
            "mload": mask + [("pass", v)],
            "mstore": mask + [("val", v)],
            "tread": [("pad", v.element_type)] + optional_mask,
            "twrite": [("val", v)] + optional_mask,
        }[self.kind]

    def function_type(self) -> ir.FunctionType:
        inputs = [self.mtype] + [index_t()] * self.mtype.rank + [t for _, t in self.extra_params()]
        results = [self.vtype] if self.load else []
        return ir.FunctionType.get(inputs + [i1_t(), i64_t()], results)

    def build(self, fn: ir.Operation, elem_race: str | None) -> None:
        mtype, vtype = self.mtype, self.vtype
        r, k = mtype.rank, vtype.rank
        args = list(fn.regions[0].blocks[0].arguments)
        m, idx_params = args[0], args[1 : 1 + r]
        extra = dict(zip([name for name, _ in self.extra_params()], args[1 + r : -2], strict=True))
        valid, site = args[-2], args[-1]
        c = Consts(fn)
        shape = list(vtype.shape)
        n = num_elements(shape)
        elem = vtype.element_type
        flat = ir.VectorType.get([n], elem)
        flat_mask = ir.VectorType.get([n], i1_t())

        def flatten(v: ir.Value, t: ir.VectorType) -> ir.Value:
            return v if k == 1 else vector.shape_cast(t, v)

        val = flatten(extra["val"], flat) if "val" in extra else None
        mask = flatten(extra["mask"], flat_mask) if "mask" in extra else None
        passthru = flatten(extra["pass"], flat) if "pass" in extra else None
        dims = _sizes(c, m, mtype)

        init = [c.zero(flat)] if self.load else []
        loop = scf.ForOp(c.index(0), c.index(n), c.index(1), init)
        with ir.InsertionPoint(loop.body):
            f = loop.induction_variable
            acc = loop.inner_iter_args[0] if self.load else None
            # The lane's position in the vector, and its element's indices.
            idx = list(idx_params)
            for d in range(k):
                stride = num_elements(shape[d + 1 :])
                p = f if stride == 1 else arith.divui(f, c.index(stride))
                if d > 0:
                    p = arith.remui(p, c.index(shape[d]))
                idx[r - k + d] = arith.addi(idx_params[r - k + d], p)
            ok = all_of([valid] + [ult(idx[j], dims[j]) for j in range(r)])
            # Whether the lane is accessed at all: its mask bit, and for a transfer that is not
            # in_bounds, whether it lies before the end (the others take the padding).
            tries = [vector.extract(mask, [f], [DYNAMIC])] if mask is not None else []
            if self.kind in ("tread", "twrite") and not self.in_bounds:
                beyond = arith.cmpi(arith.CmpIPredicate.sge, idx[r - 1], dims[r - 1])
                tries.append(arith.xori(beyond, c.i1(True)))
            attempt = all_of(tries)
            lane = arith.index_cast(i64_t(), f)

            def access_lane() -> ir.Value | None:
                """The in-bounds test and the access of one lane; for loads, its value."""
                branch = scf.IfOp(ok, [elem] if self.load else [], has_else=True)
                with ir.InsertionPoint(branch.then_block):
                    if elem_race is not None:
                        func.CallOp(
                            [],
                            ir.FlatSymbolRefAttr.get(elem_race),
                            [m] + idx + [site, c.i1(not self.load)],
                        )
                    if self.load:
                        scf.YieldOp([memref.load(m, idx)])
                    else:
                        memref.store(vector.extract(val, [f], [DYNAMIC]), m, idx)
                        scf.YieldOp([])
                with ir.InsertionPoint(branch.else_block):
                    call_fault_hook(site, lane, idx, dims, c.i64(0))
                    scf.YieldOp([c.zero(elem)] if self.load else [])
                return branch.results[0] if self.load else None

            if not self.load:
                if attempt is None:
                    access_lane()
                else:
                    gate = scf.IfOp(attempt, [], has_else=False)
                    with ir.InsertionPoint(gate.then_block):
                        access_lane()
                        scf.YieldOp([])
                scf.YieldOp([])
            elif attempt is None:
                scf.YieldOp([vector.insert(access_lane(), acc, [f], [DYNAMIC])])
            else:
                gate = scf.IfOp(attempt, [flat], has_else=True)
                with ir.InsertionPoint(gate.then_block):
                    scf.YieldOp([vector.insert(access_lane(), acc, [f], [DYNAMIC])])
                with ir.InsertionPoint(gate.else_block):
                    fill = (
                        extra["pad"]
                        if self.kind == "tread"
                        else vector.extract(passthru, [f], [DYNAMIC])
                    )
                    scf.YieldOp([vector.insert(fill, acc, [f], [DYNAMIC])])
                scf.YieldOp(list(gate.results))
        if self.load:
            res = loop.results[0]
            func.ReturnOp([res if k == 1 else vector.shape_cast(vtype, res)])
        else:
            func.ReturnOp([])


def _sizes(c: Consts, m: ir.Value, mtype: ir.MemRefType) -> list[ir.Value]:
    """The sizes of memref `m` (index values), from its strided metadata when it has a strided
    layout (memref.dim lowers through a stack alloca, see bounds.FunctionChecker.dim)."""
    r = mtype.rank
    dynamic = [j for j in range(r) if mtype.is_dynamic_dim(j)]
    sizes = (
        list(memref.ExtractStridedMetadataOp(m).sizes) if dynamic and is_strided(mtype) else None
    )
    out = []
    for j, d in enumerate(mtype.shape):
        if not mtype.is_dynamic_dim(j):
            out.append(c.index(d))
        elif sizes is not None:
            out.append(sizes[j])
        else:
            out.append(memref.dim(m, c.index(j)))
    return out
