# The two commands a fresh machine needs (see README.md):
#   make run   - set up .venv and open the app on the bundled example project
#   make test  - set up .venv and run every test headless (Python + JavaScript)
#
# Set-up installs exactly what uv.lock pins, with hashes, and only when it has to:
# .venv/.synced is newer than uv.lock and pyproject.toml once the environment
# matches them, so a second `make run` or `make test` installs nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
SYNCED := $(VENV)/.synced

.PHONY: run test setup lock clean

# uv itself comes from requirements/uv.txt (hash-pinned, exported from uv.lock by
# `make lock`); from then on uv.lock's own copy of uv keeps it current.
$(UV):
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --isolated --quiet --disable-pip-version-check \
		--no-deps --require-hashes -r requirements/uv.txt

$(SYNCED): uv.lock pyproject.toml | $(UV)
	@$(UV) sync --locked --quiet --extra test
	@touch $@

setup: $(SYNCED)

run: $(SYNCED)
	@$(BIN)/guidestudio

test: $(SYNCED)
	@$(BIN)/ruff check --quiet .
	@$(BIN)/lint-imports --no-cache > /dev/null || $(BIN)/lint-imports --no-cache
	@$(BIN)/python -m pytest -q
	@node --test tests/js/

# Refresh the pins: newest releases within pyproject.toml's ranges.
lock: | $(UV)
	$(UV) lock --upgrade
	$(UV) export --only-group tools --no-emit-project --format requirements-txt \
		--no-header --quiet -o requirements/uv.txt

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
