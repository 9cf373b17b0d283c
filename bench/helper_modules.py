"""Loads the repository's helper modules that are not part of the package (the corpus's
harness, the front end's acceptance-kernel table) from their files, for the benchmarks run as
`python bench/NAME.py`: tests find the same folders through pytest's `pythonpath`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load(folder: str, *names: str) -> list[ModuleType]:
    """The modules `names` of `folder` (relative to the repository), loaded in that order under
    their own names, so a later one's `import NAME` of an earlier one finds it."""
    modules = []
    for name in names:
        path = ROOT / folder / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it runs
        spec.loader.exec_module(module)
        modules.append(module)
    return modules
