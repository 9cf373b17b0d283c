"""Style rules ruff cannot check (issue 16): every noqa comment names its rule and says why,
and nothing edits sys.path to import (pytest's `pythonpath` in pyproject.toml names the test
helper folders; the one exception runs a user's kernel file as `python kernel.py` would)."""

from __future__ import annotations

import functools
import io
import os
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"Output", "build", "__pycache__"}  # and hidden folders (.venv, .git, caches)
# A suppression comment ("noqa", or "ruff: noqa" for a file) names its codes, then gives its
# reason in parentheses or after " - ".
SUPPRESSION = re.compile(r"#\s*(ruff:\s*)?noqa\b")
WITH_REASON = re.compile(r"#\s*(ruff:\s*)?noqa:\s*[A-Z]+\d+(\s*,\s*[A-Z]+\d+)*\s+(-\s*|\()\w")
SYS_PATH_EDIT = re.compile(r"\bsys\.path\.(insert|append)\(")
SYS_PATH_EXCEPTIONS = {"tools/python_source.py"}


def _python_files() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIP and not d.startswith("."))
        found += [Path(folder, f) for f in sorted(files) if f.endswith(".py")]
    return found


@functools.cache
def _tokens(path: Path) -> list[tokenize.TokenInfo]:
    """The tokens of a file that may break a rule (tokenizing is slow: the others are skipped)."""
    text = path.read_text(encoding="utf-8")
    if "noqa" not in text and "sys.path" not in text:
        return []
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def test_every_noqa_names_its_rule_and_says_why():
    found = 0
    problems = []
    for path in _python_files():
        for tok in _tokens(path):
            if tok.type == tokenize.COMMENT and SUPPRESSION.match(tok.string):
                found += 1
                if not WITH_REASON.match(tok.string):
                    problems.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    assert found > 0, "no noqa comment found at all: is the scan looking at the tree?"
    assert problems == [], "noqa comments without a rule and a reason"


def test_no_sys_path_edits():
    edits = [
        f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.line.strip()}"
        for path in _python_files()
        if str(path.relative_to(ROOT)) not in SYS_PATH_EXCEPTIONS
        for tok in _tokens(path)
        if tok.type == tokenize.NAME
        and tok.string == "sys"
        and SYS_PATH_EDIT.match(tok.line, tok.start[1])
    ]
    assert edits == []
