"""Style rules ruff cannot check (issue 16): every noqa and `type: ignore` comment names its
rule and says why, no module is exempt from a mypy check (pyproject.toml's overrides only let
untyped third-party imports in), and nothing edits sys.path to import (pytest's `pythonpath` in
pyproject.toml names the test helper folders; the one exception runs a user's kernel file as
`python kernel.py` would)."""

from __future__ import annotations

import functools
import io
import os
import re
import tokenize
from pathlib import Path

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # Python 3.10: the same parser from PyPI
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"Output", "build", "__pycache__"}  # and hidden folders (.venv, .git, caches)
# A suppression comment ("noqa", or "ruff: noqa" for a file) names its codes, then gives its
# reason in parentheses or after " - ".
SUPPRESSION = re.compile(r"#\s*(ruff:\s*)?noqa\b")
WITH_REASON = re.compile(r"#\s*(ruff:\s*)?noqa:\s*[A-Z]+\d+(\s*,\s*[A-Z]+\d+)*\s+(-\s*|\()\w")
# A mypy suppression names its error codes, then gives its reason after "#", " - " or "(".
TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore\b")
TYPE_IGNORE_WITH_REASON = re.compile(
    r"#\s*type:\s*ignore\[[a-z-]+(\s*,\s*[a-z-]+)*\]\s*(#\s*|-\s*|\()\w"
)
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
    if "noqa" not in text and "sys.path" not in text and "type:" not in text:
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


def test_every_type_ignore_names_its_code_and_says_why():
    found = 0
    problems = []
    for path in _python_files():
        for tok in _tokens(path):
            if tok.type == tokenize.COMMENT and TYPE_IGNORE.match(tok.string):
                found += 1
                if not TYPE_IGNORE_WITH_REASON.match(tok.string):
                    problems.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    assert found > 0, "no type: ignore comment found at all: is the scan looking at the tree?"
    assert problems == [], "type: ignore comments without an error code and a reason"


def test_no_module_is_exempt_from_mypy_checks():
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["disallow_any_generics"] is True
    relaxed = [
        (entry["module"], sorted(set(entry) - {"module", "ignore_missing_imports"}))
        for entry in mypy.get("overrides", [])
        if set(entry) != {"module", "ignore_missing_imports"}
    ]
    assert relaxed == [], "mypy overrides that relax a check (only untyped imports may be let in)"


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
