"""Affine forms over SSA values: what an integer or index value is, symbolically, and what can
be proven about it.

A form is a sum of integer multiples of monomials, a monomial a product of atoms (the empty
product is the constant term). An atom is what the evaluator does not break down further:

- a leaf: a function argument, a loop induction variable, `memref.dim` of a dynamic size, or
  the result of an op it does not model (it keeps that value, to name it);
- a term over forms: `x floordiv c`, `x ceildiv c`, `x mod c` (for each spelling: arith's
  signed, unsigned and floor variants, affine's), the min or max of forms (`arith.minsi` ...,
  `affine.min`/`affine.max`, `arith.select` on an `arith.cmpi` of its two choices), and a
  zero-extension whose operand is not provably non-negative.

So `1 * S`, `S * 1`, `tile * chunk` computed twice and the folded constant all give one form,
and two `memref.dim %m, 0` give one atom. Arithmetic is read as on mathematical integers: the
values it serves are loop bounds and indices, which do not wrap in a correct program.

Facts: an induction variable of a signed `scf.for` lies in [lb, last] (last = the largest
lb + k * step below ub, which is ub - step when step provably divides ub - lb), `memref.dim`
and zero-extensions are >= 0, `x mod c` lies in [0, c) (signed remainders in (-c, c)), a min is
at most each operand and a max at least each. Inside a loop, its upper bound is above its
induction variable, and inside an `scf.if` on a signed comparison its condition holds (the
opposite in the else branch). `prove_le` searches for a proof by replacing atoms with their
bounds; when it finds none, `leaves` names the values the question depends on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mlir import ir

from .ir_queries import CMPI, cmpi_predicate, defining_op, symbol_name
from .static_values import constant_int, int_width

Monomial = tuple[int, ...]  # sorted atom ids; () is the constant term


@dataclass(frozen=True)
class Form:
    """sum(coefficient * monomial), terms sorted, no zero coefficients."""

    terms: tuple[tuple[Monomial, int], ...] = ()

    @staticmethod
    def of(terms: dict[Monomial, int]) -> Form:
        return Form(tuple(sorted((m, c) for m, c in terms.items() if c != 0)))

    @staticmethod
    def constant(c: int) -> Form:
        return Form.of({(): c})

    @staticmethod
    def atom(atom_id: int) -> Form:
        return Form.of({(atom_id,): 1})

    @property
    def value(self) -> int | None:
        """The constant this form is, else None."""
        if not self.terms:
            return 0
        if len(self.terms) == 1 and self.terms[0][0] == ():
            return self.terms[0][1]
        return None

    def atom_ids(self) -> set[int]:
        return {a for m, _ in self.terms for a in m}

    def linear_terms(self) -> Iterator[tuple[int, int]]:
        """(atom id, coefficient) of each degree-one term."""
        for m, c in self.terms:
            if len(m) == 1:
                yield m[0], c

    def __add__(self, other: Form) -> Form:
        out = dict(self.terms)
        for m, c in other.terms:
            out[m] = out.get(m, 0) + c
        return Form.of(out)

    def scale(self, k: int) -> Form:
        return Form.of({m: c * k for m, c in self.terms})

    def __neg__(self) -> Form:
        return self.scale(-1)

    def __sub__(self, other: Form) -> Form:
        return self + (-other)

    def __mul__(self, other: Form) -> Form:
        out: dict[Monomial, int] = {}
        for m1, c1 in self.terms:
            for m2, c2 in other.terms:
                m = tuple(sorted(m1 + m2))
                out[m] = out.get(m, 0) + c1 * c2
        return Form.of(out)

    def replace(self, atom_id: int, by: Form) -> Form:
        """The form with its degree-one term in `atom_id` replaced by `by` times its coefficient
        (terms of higher degree keep the atom)."""
        out = dict(self.terms)
        coefficient = out.pop((atom_id,), 0)
        for m, c in by.terms:
            out[m] = out.get(m, 0) + c * coefficient
        return Form.of(out)

    def divided_by(self, k: int) -> Form | None:
        """The exact quotient by a constant, when k divides every coefficient."""
        if k == 0 or any(c % k for _, c in self.terms):
            return None
        return Form.of({m: c // k for m, c in self.terms})

    def divides(self, other: Form) -> bool:
        """`other` is provably a multiple of this form: this form is a single (constant or
        monomial) term whose coefficient divides, and whose atoms appear in, every term of
        `other`."""
        if other.value == 0:
            return True
        if len(self.terms) != 1:
            return False
        mono, coefficient = self.terms[0]
        for m, c in other.terms:
            if c % coefficient:
                return False
            rest = list(m)
            for a in mono:
                if a not in rest:
                    return False
                rest.remove(a)
        return True


# Atom kinds.
LEAF, IV = "leaf", "iv"  # a value; an induction variable of an scf.for
DIM = "dim"  # memref.dim of a dynamic size: (memref value, index form)
MIN, MAX, UMIN, UMAX = "min", "max", "umin", "umax"  # signed and unsigned, over a set of forms
FLOORDIV, CEILDIV, MOD = "floordiv", "ceildiv", "mod"  # floor semantics, mod in [0, c)
DIVSI, REMSI = "divsi", "remsi"  # truncating (C) division and remainder
DIVUI, REMUI = "divui", "remui"  # unsigned
ZEXT = "zext"  # zero-extension of a form not provably >= 0


AtomKey = tuple[str, "ir.Value | None", tuple[Form, ...], int]


@dataclass(frozen=True)
class Atom:
    kind: str
    value: ir.Value | None = None  # leaves and induction variables; a memref.dim's memref
    forms: tuple[Form, ...] = ()  # operands of min/max/div/mod/zext, the index of a dim
    divisor: int = 0  # div and mod

    def key(self) -> AtomKey:
        return (self.kind, self.value, self.forms, self.divisor)


@dataclass(frozen=True)
class _Bound:
    """`atom <= each part` (an upper bound) or `atom >= each part` (a lower bound): a proof
    that uses it must hold for every part. `nonnegative` must be proven too."""

    parts: tuple[Form, ...]
    nonnegative: tuple[Form, ...] = ()


# select(lhs PREDICATE rhs, lhs, rhs) is this kind over lhs and rhs.
_SELECT_KIND = {
    CMPI.slt: MIN,
    CMPI.sle: MIN,
    CMPI.sgt: MAX,
    CMPI.sge: MAX,
    CMPI.ult: UMIN,
    CMPI.ule: UMIN,
    CMPI.ugt: UMAX,
    CMPI.uge: UMAX,
}
_FLIP = {MIN: MAX, MAX: MIN, UMIN: UMAX, UMAX: UMIN}
# The comparison that holds when one does not (signed; ne gives eq).
_NEGATED = {
    CMPI.slt: CMPI.sge,
    CMPI.sle: CMPI.sgt,
    CMPI.sgt: CMPI.sle,
    CMPI.sge: CMPI.slt,
    CMPI.ne: CMPI.eq,
}
_ARITH_DIV = {
    "arith.floordivsi": FLOORDIV,
    "arith.ceildivsi": CEILDIV,
    "arith.divsi": DIVSI,
    "arith.remsi": REMSI,
    "arith.divui": DIVUI,
    "arith.remui": REMUI,
}
_ARITH_MINMAX = {"arith.minsi": MIN, "arith.maxsi": MAX, "arith.minui": UMIN, "arith.maxui": UMAX}
_IDENTITY_CASTS = ("arith.index_cast", "arith.extsi")
_ZERO_EXTENSIONS = ("arith.index_castui", "arith.extui")


@dataclass
class _Search:
    """One proof search: the bounds that hold where it is asked, the goals already tried and
    those proven, and how many more goals it may try."""

    extra: dict[tuple[int, bool], list[_Bound]]  # (atom id, upper) -> bounds
    budget: int
    tried: set[Form] = field(default_factory=set)
    proven: set[Form] = field(default_factory=set)


class _SemiAffine(Exception):
    """An affine map that divides by a symbol: its value is a leaf."""


class AffineValues:
    """Forms of the values of one piece of IR, and proofs over them. Holds handles to the IR it
    has read: use it while that IR is unchanged (a pass builds a new one after rewriting)."""

    def __init__(self, proof_budget: int = 400):
        self._forms: dict[ir.Value, Form] = {}
        self._atoms: list[Atom] = []
        self._ids: dict[AtomKey, int] = {}
        self._bounds: dict[tuple[int, bool], list[_Bound]] = {}
        self._first_dim: dict[int, ir.Value] = {}  # a memref.dim result of each DIM atom
        self._computed: dict[tuple[ir.Value, int], bool] = {}  # leaves computed from an atom
        self.proof_budget = proof_budget

    # -- atoms ---------------------------------------------------------------------------------
    def atom(self, atom_id: int) -> Atom:
        return self._atoms[atom_id]

    def as_atom(self, f: Form) -> Atom | None:
        """The atom `f` is (one term, coefficient 1, degree 1), else None."""
        if len(f.terms) != 1 or f.terms[0][1] != 1 or len(f.terms[0][0]) != 1:
            return None
        return self.atom(f.terms[0][0][0])

    def _intern(self, atom: Atom) -> Form:
        key = atom.key()
        atom_id = self._ids.get(key)
        if atom_id is None:
            atom_id = self._ids[key] = len(self._atoms)
            self._atoms.append(atom)
        return Form.atom(atom_id)

    # -- evaluation ----------------------------------------------------------------------------
    def form(self, value: ir.Value) -> Form:
        """The form of an integer or index value (an atom of its own when nothing is known)."""
        cached = self._forms.get(value)
        if cached is None:
            cached = self._forms[value] = self._evaluate(value)
        return cached

    def _leaf(self, value: ir.Value) -> Form:
        return self._intern(Atom(LEAF, value))

    def _evaluate(self, value: ir.Value) -> Form:
        op = defining_op(value)
        if op is None:
            block = value.owner
            parent = block.owner.operation
            if parent.name == "scf.for" and value.arg_number == 0:
                return self._intern(Atom(IV, value))
            return self._leaf(value)
        c = constant_int(value)
        if c is not None:
            return Form.constant(c)
        name, operands = op.name, list(op.operands)
        if name in ("arith.addi", "arith.subi", "arith.muli"):
            a, b = (self.form(v) for v in operands)
            return a + b if name == "arith.addi" else a - b if name == "arith.subi" else a * b
        if name in _IDENTITY_CASTS:
            return self.form(operands[0])
        if name == "arith.trunci":
            return self._truncated(value, operands[0])
        if name in _ZERO_EXTENSIONS:
            inner = self.form(operands[0])
            return (
                inner if self.prove_nonnegative(inner) else self._intern(Atom(ZEXT, None, (inner,)))
            )
        if name in _ARITH_DIV:
            divisor = constant_int(operands[1])
            if divisor is None or divisor <= 0:
                return self._leaf(value)
            return self._divide(_ARITH_DIV[name], self.form(operands[0]), divisor)
        if name in _ARITH_MINMAX:
            return self._minmax(_ARITH_MINMAX[name], [self.form(v) for v in operands])
        if name == "arith.select":
            return self._select(value, operands)
        if name in ("affine.apply", "affine.min", "affine.max"):
            return self._affine(value, op)
        if name == "memref.dim":
            return self._dim(value, operands)
        return self._leaf(value)

    def _truncated(self, value: ir.Value, operand: ir.Value) -> Form:
        """trunci keeps the value when it fits the narrower type."""
        inner = self.form(operand)
        half = 1 << (int_width(value.type) - 1)
        if self.prove_le(inner, Form.constant(half - 1)) and self.prove_le(
            Form.constant(-half), inner
        ):
            return inner
        return self._leaf(value)

    def _divide(self, kind: str, dividend: Form, divisor: int) -> Form:
        if divisor == 1:
            return Form.constant(0) if kind in (MOD, REMSI, REMUI) else dividend
        exact = dividend.divided_by(divisor)
        # Every spelling agrees on an exact quotient, the unsigned ones for a dividend >= 0.
        if exact is not None and (kind not in (DIVUI, REMUI) or self.prove_nonnegative(dividend)):
            return Form.constant(0) if kind in (MOD, REMSI, REMUI) else exact
        c = dividend.value
        if c is not None and c >= 0:  # a non-negative constant: every spelling agrees
            if kind in (MOD, REMSI, REMUI):
                return Form.constant(c % divisor)
            return Form.constant(-(-c // divisor) if kind == CEILDIV else c // divisor)
        return self._intern(Atom(kind, None, (dividend,), divisor))

    def _minmax(self, kind: str, forms: list[Form]) -> Form:
        unique = sorted(set(forms), key=lambda f: f.terms)
        if len(unique) == 1:
            return unique[0]
        constants = [f.value for f in unique if f.value is not None]
        if kind in (MIN, MAX) and len(constants) == len(unique):
            return Form.constant(min(constants) if kind == MIN else max(constants))
        return self._intern(Atom(kind, None, tuple(unique)))

    def _select(self, value: ir.Value, operands: list[ir.Value]) -> Form:
        """select(a < b, a, b) is min(a, b), select(a < b, b, a) max(a, b), for each predicate;
        any other select is a leaf."""
        cmp = defining_op(operands[0], "arith.cmpi")
        predicate = cmpi_predicate(cmp) if cmp is not None else None
        kind = _SELECT_KIND.get(predicate) if predicate is not None else None
        if kind is None or cmp is None:
            return self._leaf(value)
        lhs, rhs = (self.form(v) for v in cmp.operands)
        chosen = (self.form(operands[1]), self.form(operands[2]))
        if chosen == (lhs, rhs):
            return self._minmax(kind, [lhs, rhs])
        if chosen == (rhs, lhs):
            return self._minmax(_FLIP[kind], [lhs, rhs])
        return self._leaf(value)

    def _affine(self, value: ir.Value, op: ir.Operation) -> Form:
        amap = ir.AffineMapAttr(op.attributes["map"]).value
        operands = [self.form(v) for v in op.operands]
        dims, symbols = operands[: amap.n_dims], operands[amap.n_dims :]
        try:
            results = [self._affine_expr(e, dims, symbols) for e in amap.results]
        except _SemiAffine:
            return self._leaf(value)
        if op.name == "affine.apply":
            return results[0]
        return self._minmax(MIN if op.name == "affine.min" else MAX, results)

    def _affine_expr(self, e: ir.AffineExpr, dims: list[Form], symbols: list[Form]) -> Form:
        if isinstance(e, ir.AffineConstantExpr):
            return Form.constant(e.value)
        if isinstance(e, ir.AffineDimExpr):
            return dims[e.position]
        if isinstance(e, ir.AffineSymbolExpr):
            return symbols[e.position]
        lhs, rhs = (self._affine_expr(x, dims, symbols) for x in (e.lhs, e.rhs))
        if isinstance(e, ir.AffineAddExpr):
            return lhs + rhs
        if isinstance(e, ir.AffineMulExpr):
            return lhs * rhs
        kind = {
            ir.AffineFloorDivExpr: FLOORDIV,
            ir.AffineCeilDivExpr: CEILDIV,
            ir.AffineModExpr: MOD,
        }[type(e)]
        if rhs.value is None or rhs.value <= 0:  # a semi-affine map divides by a symbol
            raise _SemiAffine
        return self._divide(kind, lhs, rhs.value)

    def _dim(self, value: ir.Value, operands: list[ir.Value]) -> Form:
        memref, index = operands
        i = constant_int(index)
        mtype = memref.type
        if (
            i is not None
            and isinstance(mtype, ir.ShapedType)
            and mtype.has_rank
            and 0 <= i < mtype.rank
        ):
            if not mtype.is_dynamic_dim(i):
                return Form.constant(mtype.get_dim_size(i))
        form = self._intern(Atom(DIM, memref, (self.form(index),)))
        self._first_dim.setdefault(next(iter(form.atom_ids())), value)
        return form

    # -- facts ---------------------------------------------------------------------------------
    def loop_last(self, loop: ir.Operation) -> Form | None:
        """The largest value the induction variable of a signed `scf.for` takes: exactly, for
        constant bounds; ub - step when the step provably divides ub - lb; else ub - 1. None for
        an unsigned loop (its bounds compare unsigned)."""
        if "unsignedCmp" in loop.attributes:
            return None
        lb, ub, step = (self.form(v) for v in list(loop.operands)[:3])
        lo, hi, s = lb.value, ub.value, step.value
        if lo is not None and hi is not None and s is not None and s > 0:
            return Form.constant(lo if hi <= lo else lo + (hi - lo - 1) // s * s)
        if step.divides(ub - lb):
            return ub - step
        return ub - Form.constant(1)

    def _atom_bounds(self, atom_id: int, upper: bool) -> list[_Bound]:
        key = (atom_id, upper)
        if key not in self._bounds:
            self._bounds[key] = list(self._compute_bounds(self.atom(atom_id), upper))
        return self._bounds[key]

    def _compute_bounds(self, atom: Atom, upper: bool) -> Iterator[_Bound]:
        zero = Form.constant(0)
        kind = atom.kind
        if kind == IV and atom.value is not None:
            loop = atom.value.owner.owner.operation
            last = self.loop_last(loop)
            if last is not None:
                yield _Bound((last,)) if upper else _Bound((self.form(loop.operands[0]),))
        elif kind in (DIM, ZEXT) and not upper:
            yield _Bound((zero,))
        elif kind in (MOD, REMUI):
            yield _Bound((Form.constant(atom.divisor - 1),) if upper else (zero,))
        elif kind == REMSI:
            yield _Bound((Form.constant((atom.divisor - 1) * (1 if upper else -1)),))
        elif kind in (MIN, MAX):
            if (kind == MIN) == upper:  # min <= any operand; max >= any operand
                for f in atom.forms:
                    yield _Bound((f,))
            else:  # min >= x when every operand is; max <= x when every operand is
                yield _Bound(atom.forms)
        elif kind == UMIN and upper:
            # umin(a, b) <= a (signed) when a >= 0: the result is a or a smaller non-negative.
            for f in atom.forms:
                yield _Bound((f,), (f,))
        elif kind == UMAX and not upper:
            for f in atom.forms:  # umax(a, b) >= a when both are >= 0
                yield _Bound((f,), atom.forms)

    def _context_bounds(self, at: ir.Operation | None) -> dict[tuple[int, bool], list[_Bound]]:
        """Bounds that hold where the op `at` is, from the facts `g <= 0` of what encloses it:
        each enclosing signed loop runs below its upper bound (iv + 1 - ub <= 0), and each
        enclosing `scf.if` on an `arith.cmpi` holds its condition in the then branch and the
        opposite in the else branch. A fact gives every atom with coefficient +-1 in it a
        bound (a + r <= 0: a <= -r; -a + r <= 0: a >= r)."""
        extra: dict[tuple[int, bool], list[_Bound]] = {}
        # `child` is the op just below `op` on the way up from `at`: it says which branch.
        child, op = at, (at.parent.operation if at is not None and at.parent is not None else None)
        while op is not None:
            facts: list[Form] = []
            if op.name == "scf.for" and "unsignedCmp" not in op.attributes:
                iv = self.form(op.regions[0].blocks[0].arguments[0])
                facts.append(iv + Form.constant(1) - self.form(op.operands[1]))
            elif op.name == "scf.if" and child is not None:
                holds = child.block.region == op.regions[0]
                facts.extend(self._condition_facts(op.operands[0], holds))
            for g in facts:
                for atom_id, c in g.linear_terms():
                    if c in (1, -1):
                        bound = Form.atom(atom_id) - g.scale(c)
                        extra.setdefault((atom_id, c == 1), []).append(_Bound((bound,)))
            child, op = op, (op.parent.operation if op.parent is not None else None)
        return extra

    def _condition_facts(self, condition: ir.Value, holds: bool) -> list[Form]:
        """Facts `g <= 0` from an i1 that is known true (`holds`) or false: a signed
        `arith.cmpi`, or an `arith.andi` of conditions known true."""
        op = defining_op(condition)
        if op is None:
            return []
        if op.name == "arith.andi" and holds:
            return [f for v in op.operands for f in self._condition_facts(v, True)]
        predicate = cmpi_predicate(op)
        if predicate is None:
            return []
        a, b = (self.form(v) for v in op.operands)
        one = Form.constant(1)
        if not holds:  # the opposite comparison holds
            predicate = _NEGATED.get(predicate)
        return {
            CMPI.slt: [a - b + one],
            CMPI.sle: [a - b],
            CMPI.sgt: [b - a + one],
            CMPI.sge: [b - a],
            CMPI.eq: [a - b, b - a],
        }.get(predicate, [])

    # -- proofs --------------------------------------------------------------------------------
    def prove_le(self, a: Form, b: Form, at: ir.Operation | None = None) -> bool:
        """a <= b is provable from the facts (and those that hold where the op `at` is)."""
        search = _Search(self._context_bounds(at), self.proof_budget)
        return self._le_zero(a - b, search, 8)

    def prove_nonnegative(self, f: Form, at: ir.Operation | None = None) -> bool:
        return self.prove_le(Form.constant(0), f, at)

    def _le_zero(self, f: Form, search: _Search, depth: int) -> bool:
        """f <= 0, by replacing an atom with one of its bounds, depth first."""
        c = f.value
        if c is not None:
            return c <= 0
        if f in search.proven:
            return True
        if depth == 0 or search.budget <= 0 or f in search.tried:
            return False  # met again: it failed, or is still open further up
        search.tried.add(f)
        search.budget -= 1
        for atom_id, coefficient in list(f.linear_terms()):
            upper = coefficient > 0
            bounds = self._atom_bounds(atom_id, upper) + search.extra.get((atom_id, upper), [])
            for bound in bounds:
                if all(
                    self._le_zero(f.replace(atom_id, part), search, depth - 1)
                    for part in bound.parts
                ) and all(self._le_zero(-x, search, depth - 1) for x in bound.nonnegative):
                    search.proven.add(f)
                    return True
        return False

    # -- naming ------------------------------------------------------------------------------
    def depends_on(self, f: Form, atom_id: int) -> bool:
        """`f` mentions the atom: directly, inside a min, max, division or dim, or through an
        arith or affine op the evaluator could not read (a division by a dynamic value, a
        semi-affine map). A value loaded from memory does not depend on the index it was
        loaded from."""
        for a in f.atom_ids():
            atom = self.atom(a)
            if a == atom_id or any(self.depends_on(g, atom_id) for g in atom.forms):
                return True
            if atom.kind == LEAF and self._computed_from(atom.value, atom_id):
                return True
        return False

    def _computed_from(self, value: ir.Value, atom_id: int) -> bool:
        key = (value, atom_id)
        if key not in self._computed:
            self._computed[key] = False  # no cycles in SSA; this only guards re-entry
            op = defining_op(value)
            self._computed[key] = (
                op is not None
                and op.name.startswith(("arith.", "affine."))
                and any(self.depends_on(self.form(v), atom_id) for v in op.operands)
            )
        return self._computed[key]

    def leaves(self, forms: Iterable[Form]) -> list[ir.Value]:
        """The values (function arguments, induction variables, dims' memrefs, results of ops
        not modelled) that `forms` are made of, in first-seen order."""
        found: list[ir.Value] = []
        ids: list[int] = []
        pending = list(forms)
        while pending:
            for a in sorted(pending.pop(0).atom_ids()):
                if a in ids:
                    continue
                ids.append(a)
                atom = self.atom(a)
                if atom.kind in (LEAF, IV) and atom.value not in found:
                    found.append(atom.value)
                elif atom.kind == DIM and self._first_dim[a] not in found:
                    found.append(self._first_dim[a])
                pending.extend(atom.forms)
        return found


def describe_value(value: ir.Value, position) -> str:
    """How a message names a value: `%arg2 of @f` for a function argument, else what defines
    it and where (`position(op)` gives "file:line:col")."""
    op = defining_op(value)
    if op is None:
        parent = value.owner.owner.operation
        n = value.arg_number
        if parent.name == "func.func":
            return f"%arg{n} of @{symbol_name(parent)}"
        if parent.name == "scf.for" and n == 0:
            return f"the induction variable of the scf.for at {position(parent)}"
        return f"block argument {n} of the {parent.name} at {position(parent)}"
    results = list(op.results)
    which = "" if len(results) == 1 else f" #{results.index(value)}"
    return f"the result{which} of {op.name} at {position(op)}"
