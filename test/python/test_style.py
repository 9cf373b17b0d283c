"""Style rules ruff cannot check (issue 16): every noqa and `type: ignore` comment names its
rule and says why, no module is exempt from a mypy check (pyproject.toml's overrides only let
untyped third-party imports in), nothing edits sys.path to import (pytest's `pythonpath` in
pyproject.toml names the test helper folders; the one exception runs a user's kernel file as
`python kernel.py` would), and every annotation says what its containers hold (`list[int]`, not
`list`) in the files mypy does not check (tests, benchmarks, the corpus)."""

from __future__ import annotations

import ast
import functools
import io
import os
import re
import tokenize
from collections.abc import Iterator
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


def _comments_without_reason(
    comment: re.Pattern[str], with_reason: re.Pattern[str]
) -> tuple[int, list[str]]:
    """How many comments of the tree match `comment`, and where those that miss `with_reason`
    are (file:line: comment)."""
    found = 0
    problems = []
    for path in _python_files():
        for tok in _tokens(path):
            if tok.type == tokenize.COMMENT and comment.match(tok.string):
                found += 1
                if not with_reason.match(tok.string):
                    problems.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    return found, problems


def test_every_noqa_names_its_rule_and_says_why():
    found, problems = _comments_without_reason(SUPPRESSION, WITH_REASON)
    assert found > 0, "no noqa comment found at all: is the scan looking at the tree?"
    assert problems == [], "noqa comments without a rule and a reason"


def test_every_type_ignore_names_its_code_and_says_why():
    found, problems = _comments_without_reason(TYPE_IGNORE, TYPE_IGNORE_WITH_REASON)
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


# Generic types an annotation must parametrize (mypy's disallow_any_generics, which `make check`
# applies to the package only): the builtins, their typing aliases, and the other generics that
# the tests and benchmarks annotate with.
GENERICS = {
    "list", "dict", "tuple", "set", "frozenset", "type",
    "List", "Dict", "Tuple", "Set", "FrozenSet", "Type", "DefaultDict", "Deque", "OrderedDict",
    "defaultdict", "deque", "Counter",
    "Callable", "Iterable", "Iterator", "Generator", "Sequence", "Mapping", "MutableMapping",
    "CompletedProcess", "Popen", "Match", "Pattern",
}  # fmt: skip
# The modules whose generics count when named through them (`typing.List`, `re.Match`); other
# attributes of those names (`ir.Type`, `ast.List`, `np.random.Generator`) are not generic.
GENERIC_MODULES = {"typing", "collections", "collections.abc", "subprocess", "re"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_generic(node: ast.expr) -> bool:
    """Whether `node` names one of GENERICS: bare, or through one of GENERIC_MODULES."""
    if isinstance(node, ast.Name):
        return node.id in GENERICS
    if isinstance(node, ast.Attribute):
        return node.attr in GENERICS and ast.unparse(node.value) in GENERIC_MODULES
    return False


def _bare(node: ast.expr, line: int | None = None) -> Iterator[tuple[int, str]]:
    """The generic types used bare in the annotation `node`, with their lines. A string (a
    forward reference, a TypeAlias's value) is parsed and checked too; `line` is its line."""
    if isinstance(node, ast.Subscript):
        head = _name(node.value)
        if head == "Literal":  # its arguments are values, not types
            return
        inner = node.slice
        if head == "Annotated" and isinstance(inner, ast.Tuple):
            inner = inner.elts[0]  # the rest is metadata
        yield from _bare(inner, line)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            parsed = ast.parse(node.value.strip(), mode="eval").body
        except SyntaxError:
            return
        yield from _bare(parsed, line or node.lineno)
    elif _is_generic(node):
        yield line or node.lineno, ast.unparse(node)
    else:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                yield from _bare(child, line)


def _annotations(tree: ast.AST) -> Iterator[ast.expr]:
    """Every annotation of a module: arguments, returns, variables, and TypeAlias values."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is not None and arg.annotation is not None:
                    yield arg.annotation
            if node.returns is not None:
                yield node.returns
        elif isinstance(node, ast.AnnAssign):
            yield node.annotation
            if node.value is not None and _name(node.annotation) == "TypeAlias":
                yield node.value


def bare_generics(source: str) -> list[tuple[int, str]]:
    """(line, type) of every bare generic type in the annotations of a module's source."""
    return sorted(hit for ann in _annotations(ast.parse(source)) for hit in _bare(ann))


def test_the_bare_generics_rule_finds_them():
    source = (
        "from typing import Literal, TypeAlias\n"
        "def f(a: list, *b: tuple[int, ...], c: 'dict[str, set]' = {}) -> Literal['list']:\n"
        "    x: typing.List = []\n"
        "    y: Callable[[int], frozenset] | None = None\n"
        "V: TypeAlias = 'type | subprocess.CompletedProcess'\n"
        "def g(a: list[ir.Operation], b: dict[str, tuple[int, ...]]) -> np.ndarray: ...\n"
        "def h(t: ir.Type, n: ast.List, r: np.random.Generator) -> re.Match: ...\n"
    )
    assert bare_generics(source) == [
        (2, "list"),
        (2, "set"),
        (3, "typing.List"),
        (4, "frozenset"),
        (5, "subprocess.CompletedProcess"),
        (5, "type"),
        (7, "re.Match"),
    ]


def test_annotations_say_what_containers_hold():
    annotated = 0
    problems = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        annotated += sum(1 for _ in _annotations(tree))
        problems += [
            f"{relative}:{line}: bare {name}"
            for line, name in sorted(hit for ann in _annotations(tree) for hit in _bare(ann))
        ]
    assert annotated > 0, "no annotation found at all: is the scan looking at the tree?"
    assert not problems, "bare generic types in annotations (say what they hold):\n" + "\n".join(
        problems
    )
