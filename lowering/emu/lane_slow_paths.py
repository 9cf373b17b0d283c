"""The per-lane slow paths of vector accesses: when a vector access does not fit its memref as a
whole, a helper function accesses the lanes in bounds one by one, calls the fault hook once per
faulting lane (lane number, the lane's element indices) and yields 0 for them. Lanes a mask
disables, and lanes past the end of a transfer dimension that is not `in_bounds`, are not
accessed and do not fault."""

from __future__ import annotations

from mlir import ir

from . import races
from .generated_functions import (
    Helpers,
    Text,
    dims_text,
    fault_text,
    flat_mask_type,
    flat_type,
    zero_literal,
)
from .instrument_ir import num_elements


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
    return helpers.get(
        key, lambda name: _slow_text(name, kind, mtype, vtype, in_bounds, has_mask, race, helpers)
    )


def _slow_text(
    name: str,
    kind: str,
    mtype: ir.MemRefType,
    vtype: ir.VectorType,
    in_bounds: bool,
    has_mask: bool,
    race: bool,
    helpers: Helpers,
) -> str:
    load = kind in ("vload", "mload", "tread")
    r, k = mtype.rank, vtype.rank
    shape = list(vtype.shape)
    n = num_elements(shape)
    elem = vtype.element_type
    flat, fmask = flat_type(vtype), flat_mask_type(vtype)
    vmask = ir.VectorType.get(shape, ir.IntegerType.get_signless(1))
    idx_params = [f"%i{j}" for j in range(r)]
    params = [f"%m: {mtype}"] + [f"{i}: index" for i in idx_params]
    if kind in ("vstore",):
        params.append(f"%val: {vtype}")
    elif kind == "mload":
        params += [f"%mask: {vmask}", f"%pass: {vtype}"]
    elif kind == "mstore":
        params += [f"%mask: {vmask}", f"%val: {vtype}"]
    elif kind == "tread":
        params.append(f"%pad: {elem}")
        if has_mask:
            params.append(f"%mask: {vmask}")
    elif kind == "twrite":
        params.append(f"%val: {vtype}")
        if has_mask:
            params.append(f"%mask: {vmask}")
    params += ["%valid: i1", "%site: i64"]
    elem_race = races.element_helper(helpers, mtype) if race else None

    t = Text()
    dims = dims_text(t, "%m", mtype)
    c0, c1, cn = t.index(0), t.index(1), t.index(n)

    def flatten(v: str, vt, ft) -> str:
        return v if k == 1 else t.op(f"vector.shape_cast {v} : {vt} to {ft}")

    valf = flatten("%val", vtype, flat) if kind in ("vstore", "mstore", "twrite") else None
    maskf = flatten("%mask", vmask, fmask) if has_mask else None
    passf = flatten("%pass", vtype, flat) if kind == "mload" else None
    mlit = f"{mtype}"
    if load:
        init = t.const(zero_literal(flat), "z")
        t.emit(
            f"%res = scf.for %f = {c0} to {cn} step {c1} iter_args(%acc = {init}) -> ({flat}) {{"
        )
    else:
        t.emit(f"scf.for %f = {c0} to {cn} step {c1} {{")
    # The lane's position in the vector, and its element's indices.
    pos = []
    for d in range(k):
        stride = num_elements(shape[d + 1 :])
        p = "%f" if stride == 1 else t.op(f"arith.divui %f, {t.index(stride)} : index")
        if d > 0:
            p = t.op(f"arith.remui {p}, {t.index(shape[d])} : index")
        pos.append(p)
    idx = list(idx_params)
    for d in range(k):
        j = r - k + d
        idx[j] = t.op(f"arith.addi {idx_params[j]}, {pos[d]} : index")
    ok = "%valid"
    for j in range(r):
        ok = t.and_(ok, t.op(f"arith.cmpi ult, {idx[j]}, {dims[j]} : index", "b"))
    attempt = None
    if has_mask:
        attempt = t.op(f"vector.extract {maskf}[%f] : i1 from {fmask}", "b")
    if kind in ("tread", "twrite") and not in_bounds:
        beyond = t.op(f"arith.cmpi sge, {idx[r - 1]}, {dims[r - 1]} : index", "b")
        inside = t.op(f"arith.xori {beyond}, {t.i1(True)} : i1", "b")
        attempt = inside if attempt is None else t.and_(attempt, inside)
    lane = t.op("arith.index_cast %f : index to i64", "lane")
    idx_text = ", ".join(idx)

    def access_lane() -> str | None:
        """The in-bounds test and the access of one lane; for loads, the lane's value."""
        if load:
            x = t.fresh("x")
            t.emit(f"{x} = scf.if {ok} -> ({elem}) {{")
            if elem_race:
                t.emit(
                    f"func.call @{elem_race}(%m, {idx_text}, %site, {t.i1(False)}) : "
                    f"({mlit}, {', '.join(['index'] * r)}, i64, i1) -> ()"
                )
            y = t.op(f"memref.load %m[{idx_text}] : {mlit}")
            t.emit(f"scf.yield {y} : {elem}")
            t.emit("} else {")
            fault_text(t, "%site", lane, idx, dims)
            t.emit(f"scf.yield {t.const(zero_literal(elem), 'z')} : {elem}")
            t.emit("}")
            return x
        t.emit(f"scf.if {ok} {{")
        y = t.op(f"vector.extract {valf}[%f] : {elem} from {flat}")
        if elem_race:
            t.emit(
                f"func.call @{elem_race}(%m, {idx_text}, %site, {t.i1(True)}) : "
                f"({mlit}, {', '.join(['index'] * r)}, i64, i1) -> ()"
            )
        t.emit(f"memref.store {y}, %m[{idx_text}] : {mlit}")
        t.emit("} else {")
        fault_text(t, "%site", lane, idx, dims)
        t.emit("}")
        return None

    if load:
        if attempt is None:
            x = access_lane()
            out = t.op(f"vector.insert {x}, %acc [%f] : {elem} into {flat}")
            t.emit(f"scf.yield {out} : {flat}")
        else:
            nv = t.fresh("nv")
            t.emit(f"{nv} = scf.if {attempt} -> ({flat}) {{")
            x = access_lane()
            out = t.op(f"vector.insert {x}, %acc [%f] : {elem} into {flat}")
            t.emit(f"scf.yield {out} : {flat}")
            t.emit("} else {")
            fill = (
                "%pad"
                if kind == "tread"
                else t.op(f"vector.extract {passf}[%f] : {elem} from {flat}")
            )
            out = t.op(f"vector.insert {fill}, %acc [%f] : {elem} into {flat}")
            t.emit(f"scf.yield {out} : {flat}")
            t.emit("}")
            t.emit(f"scf.yield {nv} : {flat}")
        t.emit("}")
        result = "%res" if k == 1 else t.op(f"vector.shape_cast %res : {flat} to {vtype}")
        t.emit(f"return {result} : {vtype}")
        sig = f"({', '.join(params)}) -> {vtype}"
    else:
        if attempt is None:
            access_lane()
        else:
            t.emit(f"scf.if {attempt} {{")
            access_lane()
            t.emit("}")
        t.emit("}")
        t.emit("return")
        sig = f"({', '.join(params)})"
    return f"func.func private @{name}{sig} {{\n{t.body()}\n}}"
