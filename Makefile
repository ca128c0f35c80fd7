# gscor — every target creates the virtualenv from the pinned lock file first.
PY     ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO   := data/inbox/demo
# the venvs are filled by uv (pinned; pip installs it first) from the same lock files: ~30 s instead of pip's
# ~2.5 min, most of it resolving and unpacking; UV_LINK_MODE=copy: the uv cache may sit on another filesystem
UV_VERSION := 0.9.5
export UV_LINK_MODE := copy
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: run test lint venv demo bench bench-build bench-scale clean chromium fonts java test-spark venv-spark

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PY)" || (echo "Python 3.11 is required" && exit 2)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

## make run: generate the demo exports (deterministic), then the nightly job: ingest, build and publish the
## warehouse, write every account's report (the last lines name report.html)
run: $(STAMP)
	@test -d $(DEMO) || $(BIN)/python scripts/generate_samples.py --accounts 1 --weeks 30 --seed 7 --out data/inbox --account-prefix demo
	$(BIN)/gscor run data/inbox

## make test: lint + the whole test suite (the report test opens the HTML in Debian's headless chromium, with
## Debian's CJK fonts: screenshots in reports/_test_artifacts/). pytest runs on two xdist workers (a module's
## tests stay on one worker, the session warehouse is built once, in the background: tests/python/conftest.py);
## the lint runs beside it at low priority, on the CPU the workers leave idle, and its output follows pytest's.
## Either failing fails the target.
test: $(STAMP) chromium fonts
	@rm -f $(VENV)/lint.log $(VENV)/lint.rc
	@( nice -n 10 $(MAKE) --no-print-directory lint > $(VENV)/lint.log 2>&1; echo $$? > $(VENV)/lint.rc ) & \
	$(BIN)/python -m pytest -q -n 2 --dist loadscope --no-loadscope-reorder --durations=25; rc=$$?; \
	wait; echo "-- make lint (ran beside the tests):"; cat $(VENV)/lint.log; lint=$$(cat $(VENV)/lint.rc); \
	echo "pytest exit $$rc, lint exit $$lint"; test "$$rc" = 0 && test "$$lint" = 0

lint: $(STAMP)
	$(BIN)/ruff check gscor scripts tests
	$(BIN)/ruff format --check gscor scripts tests
	$(BIN)/python scripts/gen_sources.py --check
	$(BIN)/sqlfluff lint models analyses tests/dbt --dialect duckdb --processes 2 --disable-progress-bar

## Debian's chromium for the report test, installed when missing (as root, or through sudo)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@chromium --version

## Debian's Noto CJK fonts, so the report's Chinese renders (and its test can see it does), installed when missing
fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	@fc-list | grep -ci "Noto Sans CJK" | sed 's/^/Noto Sans CJK faces: /'

## make bench: ingest throughput on a generated ≥1M-row set vs DuckDB's read_csv
bench: $(STAMP)
	$(BIN)/python -m gscor.bench.ingest_bench

## make bench-build HOME_DIR=…: a timed full gscor build of that home vs the same model SQL run directly in DuckDB
HOME_DIR ?= .
bench-build: $(STAMP)
	$(BIN)/python -m gscor.bench.build_bench --home $(HOME_DIR) --build

## make bench-scale STORES=20 WEEKS=52 [VERIFY=1]: generate (once, cached) → ingest → full build → direct SQL → one
## new day for every store → nightly ingest + build; one JSON line (README "Benchmarks")
STORES ?= 1
WEEKS  ?= 30
bench-scale: $(STAMP)
	$(BIN)/python -m gscor.bench.scale_bench --stores $(STORES) --weeks $(WEEKS) $(if $(VERIFY),--verify)

## Debian's Java 17 for Spark (pyspark), installed when missing (as root, or through sudo)
java:
	@command -v java >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
	@java -version 2>&1 | head -1

## the Spark engine: its own venv, .venv-spark (requirements.lock + requirements-spark.lock: dbt-spark, pyspark).
## Not on top of .venv: with pyspark installed, Great Expectations' import of pyspark.sql.connect calls
## sys.exit(0) in a process whose __main__ has no file (pytest's spawned builders), which kills the quality gate.
SPARK_VENV  := .venv-spark
SPARK_BIN   := $(SPARK_VENV)/bin
SPARK_STAMP := $(SPARK_VENV)/.installed-$(shell cat requirements.lock requirements-spark.lock pyproject.toml | cksum | cut -d' ' -f1)
$(SPARK_STAMP): requirements.lock requirements-spark.lock pyproject.toml
	@test -n "$(PY)" || (echo "Python 3.11 is required" && exit 2)
	$(PY) -m venv $(SPARK_VENV)
	$(SPARK_BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(SPARK_BIN)/uv pip install --quiet --python $(SPARK_BIN)/python -r requirements.lock
	$(SPARK_BIN)/uv pip install --quiet --python $(SPARK_BIN)/python --no-deps -r requirements-spark.lock
	$(SPARK_BIN)/uv pip install --quiet --python $(SPARK_BIN)/python --no-deps -e .
	@rm -f $(SPARK_VENV)/.installed-*
	@touch $@

venv-spark: $(SPARK_STAMP)

## make test-spark: the demo account (+ the two real exports as account `real`) built on DuckDB and on local Spark
## (dbt-spark, method: session), then every mart and report table compared row for row (EXCEPT ALL both ways,
## floats at 9 decimals) and the real exports reconciled on Spark: prints "N tables identical" (docs/scale-out.md)
REAL ?= ../shared/samples/real
test-spark: $(STAMP) $(SPARK_STAMP) java
	@H=$$(mktemp -d /tmp/gscor-spark-XXXXXX)/home; set -e; \
	$(BIN)/python scripts/generate_samples.py --accounts 1 --weeks 30 --seed 7 --out $$H/data/inbox --account-prefix demo >/dev/null; \
	$(BIN)/gscor ingest --home $$H $$H/data/inbox > /dev/null; \
	$(BIN)/gscor ingest --home $$H --account real $(REAL)/Products-2026-09-19.csv $(REAL)/getKeywords-2026-09-19.csv > /dev/null; \
	echo "-- DuckDB build of $$H"; $(BIN)/gscor build --home $$H; \
	echo "-- Spark build of $$H"; spark=0; $(SPARK_BIN)/gscor build --home $$H --target spark || spark=$$?; \
	echo "-- DuckDB vs Spark"; $(SPARK_BIN)/python scripts/compare_engines.py --home $$H --latest-build || spark=1; \
	test "$$spark" = 0 || { echo "make test-spark FAILED (home kept: $$H)"; exit 1; }; \
	rm -rf $$(dirname $$H)

clean:
	rm -rf data warehouse reports target logs
