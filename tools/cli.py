"""What our command-line tools share: mlir-opt-like argument handling, reading input files and
turning every user error into one `prog: error: ...` line with exit code 1."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Callable, NoReturn, Sequence

_SINGLE_DASH_LONG = re.compile(r"^-([A-Za-z][A-Za-z0-9_-]+)(=.*)?$", re.S)


class UserError(Exception):
    """A problem with the user's input or flags; printed as `prog: error: message`."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 1 on a usage error (as mlir-opt does), with a one-line message."""

    def error(self, message: str) -> NoReturn:
        raise UserError(message)


def normalize_single_dash(argv: Sequence[str], short: Sequence[str]) -> list[str]:
    """mlir-opt accepts `-split-input-file` for `--split-input-file`; so do we. Short options in
    `short` (e.g. "o", "p") keep their single dash."""
    out = []
    for i, arg in enumerate(argv):
        if arg == "--":
            out.extend(argv[i:])
            break
        m = _SINGLE_DASH_LONG.match(arg)
        if m and m.group(1) not in short:
            arg = "-" + arg
        out.append(arg)
    return out


def read_input(path: str) -> tuple[str, str]:
    """(display name, text) of a file or of stdin ('-'); binary or non-UTF-8 input is an error."""
    if path == "-":
        name = "<stdin>"
        data = sys.stdin.buffer.read()
    else:
        name = path
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise UserError(f"could not open input file '{path}': no such file") from None
        except IsADirectoryError:
            raise UserError(f"could not open input file '{path}': is a directory") from None
        except OSError as exc:
            raise UserError(f"could not open input file '{path}': {exc.strerror}") from None
    if b"\0" in data:
        raise UserError(f"{name}: input is binary, not MLIR text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{name}: input is not valid UTF-8 (byte {exc.start})") from None
    return name, text


def run_main(prog: str, body: Callable[[list[str]], int], argv: Sequence[str] | None = None) -> int:
    """Runs a tool's body: user errors, a closed output pipe and Ctrl-C become one line and an
    exit code, never a traceback. An unexpected exception is a bug: one line asking for a
    report (PYPTO_DEBUG=1 shows the traceback)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = body(args)
        sys.stdout.flush()
        return code
    except UserError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: say so in one line
        if os.environ.get("PYPTO_DEBUG"):
            raise
        print(f"{prog}: internal error: {type(exc).__name__}: {exc} "
              f"(please report; PYPTO_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that cannot raise.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def exit_with(code: int) -> NoReturn:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = code or 1
    sys.exit(code)
