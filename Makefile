# Set-up is part of every target: .venv is created from the pinned requirements when missing,
# and not reinstalled while the stamp is newer than the files it was made from.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pypto-installed

.PHONY: all help demo test test-fast check venv bench fuzz clean
all: test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP) ## create .venv from the pinned requirements (every target does this first)

demo: $(STAMP) ## the main job, end to end: examples/demo.py
	@$(BIN)/python examples/demo.py

# The suite runs in JOBS pytest-xdist workers (default: one per core); make test JOBS=0 runs it in
# one process.
JOBS ?= logical
# Python may cache bytecode while the suite runs (__pycache__, git-ignored): where
# PYTHONDONTWRITEBYTECODE is set, every process the suite starts would compile the package's
# sources again, and each worker would rewrite every test module's asserts again.
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest
test: $(STAMP) ## the whole suite (lit + FileCheck cases, pytest, the slow lane) in JOBS workers
	$(PYTEST) -q -n $(JOBS)

# The edit loop's shortcuts (test/conftest.py, test/test_lit.py): the JIT at -O0 where a test
# names no level, and lit's pypto-opt forked from one server. `make test` takes neither.
test-fast: $(STAMP) ## the edit loop: all but the tests marked slow, in JOBS workers
	PYPTO_FAST_LANE=1 $(PYTEST) -q -n $(JOBS) -m "not slow"

# mypy sees the package as it is installed: the folders mapped into pypto_mlir (pyproject.toml's
# package-dir) are linked into build/typecheck/pypto_mlir.
TYPECHECK := build/typecheck
check: $(STAMP) ## style and types: ruff (lint, format) and mypy, as CI runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/pypto_mlir
	@ln -s $(CURDIR)/pypto_mlir/__init__.py $(CURDIR)/pypto_mlir/py.typed $(TYPECHECK)/pypto_mlir/
	@for d in $$($(BIN)/python -c "import tomllib; d = tomllib.load(open('pyproject.toml', 'rb'))['tool']['setuptools']['package-dir']; print(' '.join(p.split('.', 1)[1] + '=' + d[p] for p in d if '.' in p))"); do \
	  ln -s $(CURDIR)/$${d#*=} $(TYPECHECK)/pypto_mlir/$${d%%=*}; done
	cd $(TYPECHECK) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --python-executable $(CURDIR)/$(BIN)/python -p pypto_mlir

# A long differential fuzzing run: make fuzz N=10000 [SEED=1]
N ?= 10000
SEED ?= 1
fuzz: $(STAMP) ## a long differential fuzzing run: make fuzz N=10000 [SEED=1]
	$(BIN)/pypto-fuzz --seed $(SEED) --count $(N) --progress 60

# The benchmarks of bench/ (bench/README.md); figures in docs/performance.md. Needs a quiet machine.
bench: $(STAMP) ## the benchmarks of bench/ (figures: docs/performance.md, emulator.md); needs a quiet machine
	$(BIN)/python bench/cpu_policies.py
	$(BIN)/python bench/emu.py
	$(BIN)/python bench/memory_20mb.py
	$(BIN)/python bench/compile_scale.py
	$(BIN)/python bench/frontend_speed.py
	$(BIN)/python bench/growth.py
	$(BIN)/python bench/emu_models.py
	$(BIN)/python bench/emu_corpus_models.py

clean: ## remove test outputs
	rm -rf test/Output .pytest_cache
