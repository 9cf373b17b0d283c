"""MLIR accepts any bytes in a name or a string (`"x\\FF"`, `@"f\\FF"`), but Python code reads
them as UTF-8 str, and the bindings abort the process on one they cannot convert. So the tools
refuse such a string as soon as they read their input, with its location."""

from __future__ import annotations

import re

from .cli import UserError

# A comment, or a string literal (no newline inside: MLIR rejects one).
_TOKEN = re.compile(r'//[^\n]*|"(?:[^"\\\n]|\\.)*"')
_HEX_ESCAPE = re.compile(r"\\[0-9A-Fa-f]{2}")
_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{2}|.)|[^\\]+", re.S)
_NAMED = {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\"}


def _bytes_of(body: str) -> bytes:
    """The bytes an MLIR string literal's body (without quotes) stands for."""
    out = bytearray()
    for m in _ESCAPE.finditer(body):
        esc = m.group(1)
        if esc is None:
            out += m.group(0).encode("utf-8")
        elif len(esc) == 2:
            out.append(int(esc, 16))
        else:
            out += _NAMED.get(esc, esc.encode("utf-8"))
    return bytes(out)


def first_non_utf8_string(text: str) -> tuple[int, str, int] | None:
    """(offset in `text`, literal, first bad byte) of the first string literal whose escapes
    make bytes that are not valid UTF-8; None if there is none."""
    if "\\" not in text:  # no escape at all: the common case costs one scan
        return None
    for m in _TOKEN.finditer(text):
        literal = m.group(0)
        if literal[0] != '"' or not _HEX_ESCAPE.search(literal):
            continue
        data = _bytes_of(literal[1:-1])
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return m.start(), literal, data[exc.start]
    return None


def refuse_non_utf8_strings(text: str, where_of) -> None:
    """UserError at the first string of `text` that is not valid UTF-8; `where_of(offset)`
    gives the `file:line:col` of a character offset, or None."""
    found = first_non_utf8_string(text)
    if found is None:
        return
    offset, literal, byte = found
    shown = literal if len(literal) <= 40 else literal[:37] + '..."'
    raise UserError(
        f"string {shown} is not valid UTF-8 (byte 0x{byte:02x}); pypto-mlir reads the names "
        f"and strings of MLIR as UTF-8 text",
        where=where_of(offset),
    )


def refuse_non_utf8_in_bytecode(op) -> None:
    """The same refusal for IR read from bytecode (no text to point into): its printed form
    spells every byte that is not printable ASCII as an escape, so it can be scanned."""
    refuse_non_utf8_strings(op.get_asm(print_generic_op_form=True), lambda at: None)
