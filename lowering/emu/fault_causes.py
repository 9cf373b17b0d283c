"""What a fault message says about views (report.fault_message uses it).

A view made out of its source (memref.subview, memref.reinterpret_cast) faults where it is made,
and every access through it faults too, with indices that may well lie inside the view's own
shape: `at [0, 0] (shape [16, 128])` says nothing of what went wrong. So:
  * the view's fault names its window (static sizes and strides, runtime_hooks.Site) and each
    dimension that does not fit its source: `dimension 0: offset 24 + size 16 > 32`;
  * an access (or copy) whose indices are inside its shape names the out-of-bounds views it goes
    through (runtime_hooks.Site.views), with their offsets and offending dimensions.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import runtime_hooks
from .runtime import FaultRecord

VIEW_KINDS = ("subview", "reinterpret_cast")


def window(f: FaultRecord) -> str:
    """` with sizes [..]` (and strides when not all 1) of a view's fault; '' when unknown."""
    s = f.site
    if s.kind not in VIEW_KINDS or not s.view_sizes:
        return ""
    text = f" with sizes [{_list(s.view_sizes)}]"
    if any(x != 1 for x in s.view_strides):
        text += f" and strides [{_list(s.view_strides)}]"
    return text


def offending_dimensions(f: FaultRecord, shape: Sequence[str]) -> list[str]:
    """The dimensions of a subview's window that do not fit its source (`shape`: the source's
    shape as the message prints it), as far as offsets, sizes and strides are known."""
    s = f.site
    if s.kind != "subview" or not s.view_sizes:
        return []
    out = []
    for k, off in enumerate(f.indices[: s.rank]):
        size = s.view_sizes[k] if k < len(s.view_sizes) else None
        stride = s.view_strides[k] if k < len(s.view_strides) else None
        dim = int(shape[k]) if k < len(shape) and shape[k].isdigit() else None
        if off < 0:
            out.append(f"dimension {k}: offset {off} < 0")
        elif size is None or stride is None or dim is None or size == 0:
            continue
        elif off + (size - 1) * stride >= dim:
            out.append(
                f"dimension {k}: offset {off} + size {size} > {dim}"
                if stride == 1
                else f"dimension {k}: offset {off} + ({size} - 1) * stride {stride} >= {dim}"
            )
    return out


def through_views(
    f: FaultRecord, shape: Sequence[str], faults: Sequence[FaultRecord], source_shape
) -> str:
    """`, through the out-of-bounds subview at LOC (...)` for an access whose indices lie inside
    its memref's `shape` (so only an invalid view can have made it fault), or a copy; '' when
    the indices alone explain the fault. `source_shape(fault)`: a view fault's source shape."""
    s = f.site
    if not s.views or s.kind not in ("load", "store", "copy"):
        return ""
    if s.kind != "copy" and not _inside(f.indices, shape, s.rank):
        return ""
    by_site = {r.site.id: r for r in faults}
    found = [by_site[v] for v in s.views if v in by_site]
    parts = []
    for v in found:
        what = "offsets" if v.site.kind in VIEW_KINDS else "values"
        detail = f"{what} [{', '.join(str(i) for i in v.indices)}]{window(v)}"
        dims = offending_dimensions(v, source_shape(v))
        if dims:
            detail += ": " + "; ".join(dims)
        parts.append(f"the out-of-bounds {v.site.kind} at {v.site.location} ({detail})")
    if not parts and runtime_hooks.FROM_ANOTHER_FUNCTION in s.views:
        parts.append("an out-of-bounds view made in another function")
    if not parts:
        return ""
    return ", through " + " and ".join(parts)


def _inside(indices: Sequence[int], shape: Sequence[str], rank: int) -> bool:
    if rank > runtime_hooks.MAX_FAULT_RANK:
        return False
    return all(
        k < len(shape) and shape[k].isdigit() and 0 <= i < int(shape[k])
        for k, i in enumerate(indices[:rank])
    )


def _list(values: Sequence[int | None]) -> str:
    return ", ".join("?" if v is None else str(v) for v in values)
