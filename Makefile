# The two commands a fresh machine needs (see README.md):
#   make run   - set up .venv and open the app on the bundled example project
#   make test  - set up .venv and run every test headless (Python + JavaScript)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test setup setup-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

run: setup
	$(BIN)/guidestudio

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q
	node --test tests/js/

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
