# Two commands on a fresh machine with Python 3.11+ and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test install install-test browser stop check lint clean screenshots bench

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: install, migrate, load demo data, run web + Celery worker + beat (Ctrl-C stops all)
run: install
	$(PY) -m marketplace.devserver

## test: install test dependencies, find a browser, run the whole suite on real PostgreSQL and Redis
test: install-test browser
	$(PY) -m pytest

## screenshots: walk every persona's journey at 1280 and 390 px and rewrite the gallery docs/screenshots/
screenshots: install-test browser
	rm -f docs/screenshots/*.png
	SCREENSHOTS=1 $(PY) -m pytest tests/e2e/test_persona_journeys.py tests/e2e/test_messages_live.py -q -p no:cacheprovider

## bench: seed 100k and 1M benchmark creators once (cached databases), then print p50/p95 per scenario beside SQL
bench: install-test
	$(PY) benchmarks/bench.py

## browser: Debian's Chromium if present, else Playwright's own download (needs the internet)
browser: install-test
	@if [ -x /usr/bin/chromium ]; then \
		echo "Browser tests use /usr/bin/chromium."; \
	else \
		echo "No /usr/bin/chromium: downloading Playwright's Chromium instead (needs internet access)."; \
		$(PY) -m playwright install chromium || echo "Playwright could not download a browser: browser tests will fail. Install chromium (apt-get install chromium)."; \
	fi

## stop: stop embedded servers left running by a bare `manage.py` call
stop:
	-$(PY) -m marketplace.embedded stop

## lint: ruff's rules (pyproject.toml) and its formatter's check over every Python file; CI runs it first
lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check: install-test
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean: stop
	rm -rf .local
