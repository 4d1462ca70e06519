# Quick start: `make run` (install, migrate, load the programme and demo data, serve)
# and `make test` (the whole suite). Both create/refresh .venv as needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: install run serve test lint typecheck messages worker beat clean bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The compiled French catalogue is committed; rebuild it when gettext is there.
messages: install
	@if [ ! -f locale/fr/LC_MESSAGES/django.po ]; then echo "no catalogue to compile"; \
	elif command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	else echo "msgfmt not found: using the committed locale/fr/LC_MESSAGES/django.mo"; fi

run: messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST)

serve: install
	$(PY) manage.py runserver $(HOST)

# Only pytest-django and pytest-xdist are loaded from the plugin registry: the other
# installed plugins (hypothesis, schemathesis, faker, playwright) cost seconds at
# every start; the tests that need them import them. The suite runs in one process
# per core (TEST_PROCESSES=0 for a single process, e.g. with PYTEST_ARGS naming one
# test); loadgroup keeps the real-Celery-worker tests, which share one broker queue,
# in one process.
TEST_PROCESSES ?= auto
test: messages
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(PY) -m pytest -p pytest_django.plugin -p xdist.plugin \
		-n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

# The benchmark (not part of `make test`): PostgreSQL databases of generated data at
# each size (named after DATABASE_URL's, built once and reused), gunicorn on each,
# every page and endpoint measured interleaved; bench/results.json and a table.
# See README "Performance".
BENCH_SIZES ?= 1000,100000
BENCH_SAMPLES ?= 20
bench: install
	BENCH_SIZES=$(BENCH_SIZES) BENCH_SAMPLES=$(BENCH_SAMPLES) $(PY) -m bench.run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with the Django and DRF plugins (settings: pompidou.settings); see [tool.mypy].
typecheck: install
	$(VENV)/bin/mypy

worker: install
	$(VENV)/bin/celery -A pompidou worker --loglevel=info --concurrency=2

beat: install
	$(VENV)/bin/celery -A pompidou beat --loglevel=info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
