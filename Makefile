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

# --- The desktop build --------------------------------------------------------------
# `make dist` freezes the app with PyInstaller into one self-contained folder,
# dist/guidestudio/ (run dist/guidestudio/guidestudio). PyInstaller and the app (as a
# wheel, not editable) are installed as uv.lock pins them into an environment of their
# own, build/dist-env, so .venv stays exactly what `make test` runs. `make dist-check`
# runs what was built: the window headless, an export, a preview PNG.
DIST_ENV := build/dist-env

.PHONY: dist dist-check

dist: | $(UV)
	@UV_PROJECT_ENVIRONMENT=$(DIST_ENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --locked --quiet \
		--no-editable --no-default-groups --group dist --python $(PYTHON)
	@rm -rf dist/guidestudio
	@cd desktop && ../$(DIST_ENV)/bin/pyinstaller --noconfirm --clean --log-level ERROR \
		--distpath ../dist --workpath ../build/pyinstaller guidestudio.spec
	@du -sh dist/guidestudio

dist-check:
	@$(DIST_ENV)/bin/python desktop/check_dist.py dist/guidestudio
# --------------------------------------------------------------------------------------

# Refresh the pins: newest releases within pyproject.toml's ranges.
lock: | $(UV)
	$(UV) lock --upgrade
	$(UV) export --only-group tools --no-emit-project --format requirements-txt \
		--no-header --quiet -o requirements/uv.txt

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
