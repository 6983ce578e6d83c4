# Two entry points, both working on a fresh machine: `make demo` and `make test`.
# Each creates .venv with Python 3.12 when it is missing (python3.12 on PATH, or pyenv's).

PYTHON312 ?= $(shell command -v python3.12 2>/dev/null || ls "$$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format bench clean

NODE_DEPS := node_modules/.installed

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is needed: install it (e.g. pyenv install 3.12) or set PYTHON312=/path/to/python3.12"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON312) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,api,postgres,scorm]"
	@touch $@

# On a terminal the demo then serves its API database until Ctrl-C; elsewhere (CI, tests)
# it ends after the demo.
demo: $(BIN)/.installed
	$(BIN)/cluster-excellence demo
	@if [ -t 0 ] && [ -t 1 ]; then \
		echo "serving the demo API on http://127.0.0.1:8000 (token in out/demo/api-token.txt; Ctrl-C stops it)"; \
		$(BIN)/cluster-excellence serve --database-url sqlite:///out/demo/api.db; \
	fi

# The browser tests load a SCORM runtime and axe-core from npm (package-lock.json).
$(NODE_DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test: $(BIN)/.installed $(NODE_DEPS) lint
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.installed $(NODE_DEPS)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/scorm.py

clean:
	rm -rf $(VENV) node_modules var out .pytest_cache .ruff_cache .hypothesis
