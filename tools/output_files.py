"""Writing the tools' output files without ever losing one.

- A regular file (existing or new) is written to a temporary file in the same directory and
  renamed into place only when the run succeeded: a failed or interrupted run leaves the old
  file as it was (even when `-o` names the input), and readers never see half a file.
- A target that exists and is not a regular file (a device such as /dev/null, a pipe) is
  written directly and never removed: renaming over it would replace the node itself.
- `-` is the standard output.
- A file that is an input of the run is refused, with a message that names it (`refuse_inputs`).

Every problem is a UserError (one line, exit code 1).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from .cli import UserError, os_error_reason


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def same_file(a: str, b: str) -> bool:
    """Whether `a` and `b` are the same existing file (through links, `..`, hard links)."""
    sa, sb = _stat(a), _stat(b)
    return sa is not None and sb is not None and (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def refuse_inputs(path: str, inputs: Iterable[str], what: str) -> None:
    """UserError when writing `path` would overwrite one of `inputs` (paths the run reads)."""
    for inp in inputs:
        if inp != "-" and same_file(path, inp):
            shown = (
                f"'{path}'"
                if os.path.abspath(path) == os.path.abspath(inp)
                else (f"'{path}' (the same file as '{inp}')")
            )
            raise UserError(f"{what} {shown} is an input of this run; refusing to overwrite it")


def _default_mode() -> int:
    # What open() would have given a new file; os.umask can only be read by setting it.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class OutputFile:
    """An output file that appears (or changes) only on `commit()`; `discard()` leaves the
    target as it was. As a context manager: commit on success, discard on an exception."""

    def __init__(self, path: str, what: str = "output file", binary: bool = False):
        self.path, self.what = path, what
        self._tmp: str | None = None
        self._target = path
        self._own = True  # whether we close the stream (not stdout)
        mode, encoding = ("wb", None) if binary else ("w", "utf-8")
        if path == "-":
            self._own = False
            self.file: IO[Any] = sys.stdout.buffer if binary else sys.stdout  # bytes or text
            return
        st = _stat(path)
        try:
            if st is not None and not stat.S_ISREG(st.st_mode):
                if stat.S_ISDIR(st.st_mode):
                    raise UserError(f"could not open {what} '{path}': is a directory")
                self.file = open(path, mode, encoding=encoding)
                return
            # Through a symbolic link: replace the file it points to, keep the link.
            self._target = os.path.realpath(path)
            folder = os.path.dirname(self._target) or "."
            fd, self._tmp = tempfile.mkstemp(
                dir=folder, prefix=f".{os.path.basename(self._target)}.", suffix=".tmp"
            )
            os.chmod(self._tmp, stat.S_IMODE(st.st_mode) if st is not None else _default_mode())
            self.file = os.fdopen(fd, mode, encoding=encoding)
        except OSError as exc:
            self._drop_tmp()
            raise UserError(f"could not open {what} '{path}': {os_error_reason(exc)}") from None

    def commit(self) -> None:
        try:
            self.file.flush()
            if not self._own:
                return
            self.file.close()  # a full disk shows here
        except OSError:
            self.discard()
            raise
        if self._tmp is not None:
            try:
                os.replace(self._tmp, self._target)
            except OSError as exc:
                self._drop_tmp()
                raise UserError(
                    f"could not write {self.what} '{self.path}': {os_error_reason(exc)}"
                ) from None
            self._tmp = None

    def discard(self) -> None:
        """Leaves the target as it was (a no-op after commit)."""
        if not self._own or (self._tmp is None and self.file.closed):
            return
        try:
            self.file.close()
        except OSError:
            pass  # a full disk: the temporary file goes anyway
        self._drop_tmp()

    def _drop_tmp(self) -> None:
        if self._tmp is not None:
            try:
                os.remove(self._tmp)
            except OSError:
                pass
            self._tmp = None

    def __enter__(self) -> IO[Any]:
        return self.file

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def prepare_out_dir(path: str, what: str = "--out-dir") -> None:
    """Creates the directory `path` if needed; a dangling symbolic link or a file in the way is
    a clear error rather than "File exists"."""
    if os.path.islink(path) and not os.path.exists(path):
        raise UserError(
            f"{what} '{path}' is a dangling symbolic link (to '{os.readlink(path)}'); "
            f"remove it or create its target"
        )
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError(f"{what} '{path}' exists and is not a directory")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {what} '{path}': {os_error_reason(exc)}") from None
