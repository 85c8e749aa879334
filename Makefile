# The two commands that matter: `make demo` runs the product, `make test` runs the whole suite.
# Both work on a fresh machine: they install into .venv and apt-get what the system lacks.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install system-deps test lint demo core bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash scripts/ensure-system-deps.sh

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

test: install system-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

demo: install
	$(VENV)/bin/authdeck demo

core: install
	$(VENV)/bin/authdeck core

bench: install system-deps
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .demo
