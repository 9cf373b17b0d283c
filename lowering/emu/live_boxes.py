"""The live footprints of one direction (read or written) as arrays, for the dependency graph
(deps.py): every query and update takes a whole batch of footprints at once (numpy), so the
graph costs a few array operations per launch, not a Python loop per node.

A footprint here is a box: a key (0: raw bytes, b + 1: buffer b), per dimension [lo, hi). The
first dimension is folded with the key into one sortable coordinate (`folded`): boxes of
different keys then never overlap in it, and the index is kept sorted by the folded start, so
the candidates of a query are a slice found by np.searchsorted (boxes starting less than the
longest box ever added before the query's start cannot reach it).
"""

from __future__ import annotations

import numpy as np

KEY_SHIFT = 1 << 52  # folded = key * KEY_SHIFT + first-dimension bound (addresses < 2^48)


class Boxes:
    """A batch of boxes, one row each of one int64 array: the folded first dimension [start,
    end), the node the box belongs to, then the other dimensions' lo and hi (so that selecting
    boxes is one indexing operation)."""

    def __init__(self, rows: np.ndarray, dims: int):
        self.rows = rows
        self.dims = dims

    @classmethod
    def of(cls, start, end, lo, hi, node) -> Boxes:
        """From the columns (lo, hi: [boxes, dims - 1])."""
        rows = np.empty((len(start), 3 + 2 * lo.shape[1]), np.int64)
        rows[:, 0], rows[:, 1], rows[:, 2] = start, end, node
        rows[:, 3 : 3 + lo.shape[1]] = lo
        rows[:, 3 + lo.shape[1] :] = hi
        return cls(rows, lo.shape[1] + 1)

    @property
    def start(self) -> np.ndarray:
        return self.rows[:, 0]

    @property
    def end(self) -> np.ndarray:
        return self.rows[:, 1]

    @property
    def node(self) -> np.ndarray:
        return self.rows[:, 2]

    @property
    def lo(self) -> np.ndarray:
        return self.rows[:, 3 : 2 + self.dims]

    @property
    def hi(self) -> np.ndarray:
        return self.rows[:, 2 + self.dims :]

    def take(self, sel) -> Boxes:
        return Boxes(self.rows[sel], self.dims)

    def __len__(self) -> int:
        return len(self.rows)


def folded(key: np.ndarray, bound: np.ndarray) -> np.ndarray:
    return key.astype(np.int64) * KEY_SHIFT + bound


def candidate_pairs(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) for every i and every j in [first[i], last[i]): the pairs of a batch of slice
    queries, expanded without a Python loop."""
    counts = np.maximum(last - first, 0)
    total = int(counts.sum())
    i = np.repeat(np.arange(len(first), dtype=np.int64), counts)
    if not total:
        return i, i
    offsets = np.cumsum(counts) - counts
    j = np.arange(total, dtype=np.int64) - np.repeat(offsets - first, counts)
    return i, j


class LiveBoxes:
    """The live boxes of one direction, sorted by folded start. `gone` marks, per box, the
    parallel launch (its index in run.groups) whose task overwrote the box whole (-1: none):
    the box is then live only for that launch's later tasks (deps.edges)."""

    def __init__(self, dims: int):
        self.boxes = Boxes(np.zeros((0, 1 + 2 * dims), np.int64), dims)
        self.gone = np.zeros(0, np.int64)
        self.longest = 0  # the longest folded extent ever added (never lowered: still a bound)

    def __len__(self) -> int:
        return len(self.boxes)

    def slices(self, q: Boxes) -> tuple[np.ndarray, np.ndarray]:
        """Per query box, the slice [first, last) of live boxes that may overlap it (the
        searches `overlapping` and the edge finder's step sizing share)."""
        if not len(self.boxes):
            empty = np.zeros(len(q), np.int64)
            return empty, empty
        start = self.boxes.start
        first = np.searchsorted(start, q.start - self.longest, side="right")
        return first, np.searchsorted(start, q.end, side="left")

    def overlapping(
        self, q: Boxes, slices: tuple[np.ndarray, np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(query index, live index) of every overlapping pair, by query then live order;
        `slices`: what `slices(q)` returned, when the caller has it already."""
        live = self.boxes
        if not len(live) or not len(q):
            empty = np.zeros(0, np.int64)
            return empty, empty
        qi, li = candidate_pairs(*(slices if slices is not None else self.slices(q)))
        ok = live.end[li] > q.start[qi]
        if live.dims > 1:
            ok &= np.all((q.lo[qi] < live.hi[li]) & (live.lo[li] < q.hi[qi]), axis=1)
        return qi[ok], li[ok]

    def covered(self, q: Boxes, qi: np.ndarray, li: np.ndarray) -> np.ndarray:
        """Of the pairs (qi, li), those whose query box holds the live box whole."""
        live = self.boxes
        ok = (q.start[qi] <= live.start[li]) & (live.end[li] <= q.end[qi])
        if live.dims > 1:
            ok &= np.all((q.lo[qi] <= live.lo[li]) & (live.hi[li] <= q.hi[qi]), axis=1)
        return ok

    def drop(self, gone: np.ndarray) -> None:
        """Forgets the live boxes where `gone` (bool [live]) is set."""
        if gone.any():
            keep = ~gone
            self.boxes = self.boxes.take(keep)
            self.gone = self.gone[keep]

    def add(self, new: Boxes, gone: np.ndarray | None = None) -> None:
        """Adds `new` (with their marks `gone`; default: none)."""
        if not len(new):
            return
        marks = np.full(len(new), -1, np.int64) if gone is None else gone
        order = np.argsort(new.start, kind="stable")
        rows = np.concatenate([self.boxes.rows, new.rows[order]])
        marks = np.concatenate([self.gone, marks[order]])
        # Two sorted runs: a stable sort merges them in linear time (timsort).
        by_start = np.argsort(rows[:, 0], kind="stable")
        self.boxes = Boxes(rows[by_start], new.dims)
        self.gone = marks[by_start]
        self.longest = max(self.longest, int((new.end - new.start).max()))


__all__ = ["KEY_SHIFT", "Boxes", "LiveBoxes", "candidate_pairs", "folded"]
