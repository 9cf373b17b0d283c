# Set-up is part of every target: .venv is created from the pinned requirements when missing,
# and not reinstalled while the stamp is newer than the files it was made from.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pypto-installed

.PHONY: all demo test venv bench fuzz clean
all: test

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@$(BIN)/python examples/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

# A long differential fuzzing run: make fuzz N=10000 [SEED=1]
N ?= 10000
SEED ?= 1
fuzz: $(STAMP)
	$(BIN)/pypto-fuzz --seed $(SEED) --count $(N) --progress 60

# The benchmarks of bench/ (bench/README.md); figures in docs/performance.md. Needs a quiet machine.
bench: $(STAMP)
	$(BIN)/python bench/cpu_policies.py
	$(BIN)/python bench/emu.py
	$(BIN)/python bench/memory_20mb.py
	$(BIN)/python bench/compile_scale.py

clean:
	rm -rf test/Output .pytest_cache
