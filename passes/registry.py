"""Our passes and named pipelines: names, one-line summaries, declared options.

Python passes cannot enter MLIR's global registry, so this table is what the pipeline parser
(pipeline_parser.py), `pypto-opt --list-passes` and the Python API consult. A pass is a small
dataclass with a `name`, a `summary` and its options as fields (see `option`); its work is a
transform function callable without a PassManager, which `apply` calls.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar


class PipelineError(Exception):
    """A bad pipeline: unknown pass, bad option, malformed text. The message says which;
    `unknown_pass` names the pass when the problem is an unknown pass name."""

    def __init__(self, message: str, unknown_pass: str | None = None):
        super().__init__(message)
        self.unknown_pass = unknown_pass


def option(default: Any, help: str, choices: tuple[str, ...] = ()) -> Any:
    """Declares a pass option as a dataclass field."""
    return field(default=default, metadata={"help": help, "choices": tuple(choices)})


@dataclass(frozen=True)
class OptionInfo:
    name: str
    type: type[bool | int | str]  # what the option's text converts to
    default: Any
    help: str
    choices: tuple[str, ...]

    def convert(self, owner: str, text: str) -> Any:
        """The typed value of `text`, or a PipelineError that names the pass and option."""
        bad = PipelineError(
            f"invalid value '{text}' for option '{self.name}' of '{owner}'"
            f" (expected {self.expected})"
        )
        if self.type is bool:
            low = text.lower()
            if low in ("true", "1", "on"):
                return True
            if low in ("false", "0", "off"):
                return False
            raise bad
        if self.type is int:
            try:
                return int(text, 0)
            except ValueError:
                raise bad from None
        if self.choices and text not in self.choices:
            raise bad
        return text

    @property
    def expected(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return {bool: "true or false", int: "an integer"}.get(self.type, "a string")


def _options_of(cls) -> dict[str, OptionInfo]:
    out = {}
    for f in dataclasses.fields(cls):
        kind = {"bool": bool, "int": int, "str": str}.get(
            f.type if isinstance(f.type, str) else f.type.__name__, str
        )
        out[f.name] = OptionInfo(
            f.name, kind, f.default, f.metadata.get("help", ""), f.metadata.get("choices", ())
        )
    return out


def _parse_options(owner: str, infos: dict[str, OptionInfo], raw: dict[str, str]) -> dict[str, Any]:
    values = {}
    for key, text in raw.items():
        info = infos.get(key)
        if info is None:
            known = ", ".join(infos) or "none"
            raise PipelineError(f"'{owner}' has no option '{key}' (its options: {known})")
        values[key] = info.convert(owner, text)
    return values


@dataclass
class ModulePass(abc.ABC):
    """A pass of ours. It runs on a `builtin.module` and walks the functions itself."""

    name: ClassVar[str]
    summary: ClassVar[str]
    # True when the pass can only write valid pl.* attributes: the pl-verify walk after it (a
    # Python callback on every op of its output) is then skipped.
    preserves_pl_validity: ClassVar[bool] = False

    @abc.abstractmethod
    def apply(self, module) -> None:
        """Transforms `module`; raises DiagnosedError after reporting located errors."""

    @classmethod
    def options(cls) -> dict[str, OptionInfo]:
        return _options_of(cls)

    @classmethod
    def from_options(cls, raw: dict[str, str]) -> ModulePass:
        return cls(**_parse_options(cls.name, cls.options(), raw))


@dataclass(frozen=True)
class NamedPipeline:
    """A pipeline registered like a pass; `expand` turns its options into pipeline elements."""

    name: str
    summary: str
    options: dict[str, OptionInfo]
    expand: Callable[[dict[str, Any]], str]

    def elements(self, raw: dict[str, str]) -> str:
        values = {k: v.default for k, v in self.options.items()}
        values.update(_parse_options(self.name, self.options, raw))
        return self.expand(values)


PASSES: dict[str, type[ModulePass]] = {}
PIPELINES: dict[str, NamedPipeline] = {}


def register_pass(cls: type[ModulePass]) -> type[ModulePass]:
    PASSES[cls.name] = cls
    return cls


def register_pipeline(pipeline: NamedPipeline) -> NamedPipeline:
    PIPELINES[pipeline.name] = pipeline
    return pipeline


def our_names() -> list[str]:
    return sorted(PASSES) + sorted(PIPELINES)
