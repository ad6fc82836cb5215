# The two commands a new machine needs: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PEOPLE ?= 100000
PORT ?= 8000
SEED ?= 1
PG_URL ?= postgres://postgres@127.0.0.1:5432/cordon
XDIST ?= 2

# City wall times the suite is also run at (`make test`): past midnight on New Year's Day and before dawn,
# when the city's date and the UTC date differ.
CLOCK_TIMES ?= 2027-01-01T00:30 2027-06-30T04:30

.PHONY: install demo test test-sqlite test-clock test-postgres browser-deps bench-deps lint serve clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python) || exit 1; \
	  test -x $(PY) || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@if command -v msgfmt >/dev/null && [ -n "$$(find src -name "*.po" -print -quit)" ]; then \
	  $(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=var --ignore=node_modules \
	  || echo 'warning: compilemessages failed; using the committed .mo files'; fi
	@touch $@

demo: install
	$(PY) manage.py migrate -v 0
	$(VENV)/bin/cordon demo --people $(PEOPLE) --seed $(SEED) $(if $(REGENERATE),--regenerate,)
	$(VENV)/bin/cordon serve --port $(PORT)

browser-deps:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# wrk drives the HTTP benchmarks (cordon bench verify); scripts/bench_scale.py runs this first.
bench-deps:
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the HTTP benchmarks"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

test: install browser-deps
	$(PY) -m ruff check --quiet .
	$(VENV)/bin/lint-imports --no-cache >/dev/null || $(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-clock
	@if [ "$${CORDON_TEST_POSTGRES:-0}" = 1 ]; then $(MAKE) --no-print-directory test-postgres; fi

test-sqlite:
	$(PY) -m pytest -n $(XDIST) --dist loadfile

# The suite (the whole demo on a small city included) with the clock started at each of CLOCK_TIMES.
test-clock:
	@for t in $(CLOCK_TIMES); do echo "suite at $$t city time"; \
	  $(PY) -m pytest -n $(XDIST) --dist loadfile -m "not browser" --city-time $$t || exit 1; done

test-postgres:
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n $(XDIST) --dist loadfile -m "not browser"

lint:
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var/*.sqlite3
