# Petshop: `make run` to try the shop, `make test` to run the suite. See README.md.
VENV ?= .venv
PYTHON_BIN := $(shell for p in python3.13 python3.12 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint serve worker beat screenshots bench clean

$(VENV)/bin/activate:
	@test -n "$(PYTHON_BIN)" || { echo "Python 3.12 or newer is needed (python3.13, python3.12 or python3 on PATH)."; exit 1; }
	$(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# E-mailed links point at this server, whatever HOST and PORT; jobs run in the server process (no worker needed).
run: export SITE_URL = http://$(HOST):$(PORT)
run: export CELERY_TASK_ALWAYS_EAGER ?= true
run: $(VENV)/.runtime
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r petshop api accounts animals cart orders payments notifications favourites alerts --severity-level medium

# Production mode locally: DEBUG off, hashed static files, gunicorn. Needs SECRET_KEY (see README.md).
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SITE_URL_ALLOW_LOCAL ?= true
serve: $(VENV)/.runtime
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn -c gunicorn.conf.py petshop.wsgi

# Background jobs (production runs these next to gunicorn; see README.md). Need CELERY_BROKER_URL or a Redis CACHE_URL.
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A petshop worker -l info

beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A petshop beat -l info -s $(or $(CELERY_BEAT_SCHEDULE_FILE),celerybeat-schedule)

screenshots: $(VENV)/.dev
	$(VENV)/bin/python -m e2e.screenshots

bench: $(VENV)/.dev
	bash bench/catalogue.sh

clean:
	rm -rf $(VENV) staticfiles test-results
