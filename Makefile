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

# One test worker more than the cores: the web-engine tests spend much of their time waiting on
# the engine's own processes (2 cores: 3 workers, 2 min 45 s; 2 workers, 5 min 15 s).
TEST_WORKERS := $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

test: $(SYNCED) runtime-check
	@$(BIN)/ruff check --quiet .
	@$(BIN)/lint-imports --no-cache > /dev/null || $(BIN)/lint-imports --no-cache
	@$(BIN)/python -m pytest -q --numprocesses=$(TEST_WORKERS) --dist=loadfile
	@node --test tests/js/

# Property tests with fresh random examples (`make test` repeats the same ones every run);
# what they find is kept in .hypothesis/ and tried first next time.
.PHONY: explore

explore: $(SYNCED)
	@GUIDESTUDIO_HYPOTHESIS=explore $(BIN)/python -m pytest -q --numprocesses=auto \
		--maxprocesses=4 --dist=loadfile $$(grep -rl "from hypothesis" tests --include='test_*.py')

# The SQL audiences against the Python evaluator on 100,000 generated users (make test: 2,000).
.PHONY: audiences-100k

audiences-100k: $(SYNCED)
	@GUIDESTUDIO_AUDIENCE_USERS=100000 $(BIN)/python -m pytest -q -s -p no:cacheprovider \
		tests/core/test_audience_sql.py

# The reliability suite's long mode (tests/reliability/): every row with hundreds or thousands
# of trials, printed as a table of rows, trials and failures. `make test` runs the quick counts.
.PHONY: reliability

reliability: $(SYNCED)
	@$(BIN)/python -m tests.reliability.run --long

# `guidestudio results` on a JSON Lines file of over 2 GB with bad rows (tests/core/results/
# big_file.py): bounded memory, every bad row counted. Too slow for `make test`.
.PHONY: results-big

results-big: $(SYNCED)
	@$(BIN)/python -m tests.core.results.big_file

# --- The JavaScript runtime (see docs/runtime.md) -------------------------------------------
# guide-runtime.min.js (+ .map) is built from the readable guide-runtime.js with esbuild, and
# the source is type-checked against guide-runtime.d.ts with TypeScript. Both are build-time
# tools pinned in tools/js/package-lock.json, installed by `npm ci` only when the lock changed.
JS_TOOLS  := tools/js
JS_STAMP  := $(JS_TOOLS)/node_modules/.installed

.PHONY: runtime runtime-check

$(JS_STAMP): $(JS_TOOLS)/package.json $(JS_TOOLS)/package-lock.json
	@cd $(JS_TOOLS) && npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

# Rebuild the minified runtime after changing guide-runtime.js (commit both).
runtime: $(JS_STAMP)
	@node $(JS_TOOLS)/build-runtime.mjs

# Type-check, and fail when the committed minified file is not what the source builds to.
runtime-check: $(JS_STAMP)
	@$(JS_TOOLS)/node_modules/.bin/tsc -p $(JS_TOOLS)/tsconfig.json
	@node $(JS_TOOLS)/build-runtime.mjs --check
# ---------------------------------------------------------------------------------------------

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

# --- Warehouse SQL on Spark ------------------------------------------------------------
# `make spark` runs the Spark form of the results and audience queries on pyspark in local mode and checks
# its numbers against the app's (tests/core/results/test_warehouse_spark.py). pyspark (about
# 450 MB) is the `spark` group, installed as uv.lock pins it into build/spark-env, never into
# .venv; it needs Java 17 or newer. Other runs leave these files out (the `engine` marker).
SPARK_ENV := build/spark-env

.PHONY: spark

spark: | $(UV)
	@command -v java > /dev/null || { echo "make spark needs Java 17+ (Debian: openjdk-17-jre-headless)"; exit 2; }
	@UV_PROJECT_ENVIRONMENT=$(SPARK_ENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --locked --quiet \
		--extra test --group spark --python $(PYTHON)
	@$(SPARK_ENV)/bin/python -m pytest -q -p no:cacheprovider -m engine \
		tests/core/results/test_warehouse_spark.py tests/core/test_audience_spark.py

# The results' and the audiences' Postgres SQL on a real PostgreSQL server, started in a
# temporary folder (tests/postgres_support.py): needs the machine's PostgreSQL (Debian:
# postgresql) and psql; fails, saying so, without them.
.PHONY: postgres

postgres: $(SYNCED)
	@$(BIN)/python -m pytest -q -p no:cacheprovider -m engine \
		tests/core/results/test_warehouse_postgres.py tests/core/test_audience_postgres.py
# --------------------------------------------------------------------------------------

# Refresh the pins: newest releases within pyproject.toml's ranges.
lock: | $(UV)
	$(UV) lock --upgrade
	$(UV) export --only-group tools --no-emit-project --format requirements-txt \
		--no-header --quiet -o requirements/uv.txt

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis $(JS_TOOLS)/node_modules
