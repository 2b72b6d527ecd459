# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
# Where make demo serves the portal: make demo DEMO_ADDR=0.0.0.0:8080
DEMO_ADDR ?= 127.0.0.1:8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := requirements/base.txt requirements/dev.txt
# The lock is universal and for the image's Python (python:3.11-slim).
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command "make lock"

.PHONY: demo test install system-deps lock upgrade lint format messages clean

# Python packages exactly as requirements/dev.txt pins them (with hashes), the project itself
# (editable, no dependency resolution), and the front-end libraries as package-lock.json pins.
$(STAMP): pyproject.toml $(LOCKS) package-lock.json
	@$(PYTHON) scripts/check_lock.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

# Migrate the SQLite database, load Anji's reference data, demo accounts and data (once), then
# run the web server beside a Celery worker with beat (manage.py rundemo; Ctrl-C stops all).
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_anji
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rundemo $(DEMO_ADDR)

# Debian's chromium and CJK fonts for the browser tests: installed when missing (as root with
# apt-get), otherwise the command to run is printed and make stops.
system-deps:
	@sh scripts/system-deps.sh

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest --create-db --durations=30

# Re-lock after changing dependencies in pyproject.toml: keeps the versions already locked
# where pyproject still allows them. `make upgrade` takes the newest versions it allows.
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv

lock: $(BIN)/uv
	$(COMPILE) -o requirements/base.txt
	$(COMPILE) --extra dev --constraint requirements/base.txt -o requirements/dev.txt
	$(PYTHON) scripts/check_lock.py --stamp

upgrade: $(BIN)/uv
	$(COMPILE) --upgrade -o requirements/base.txt
	$(COMPILE) --upgrade --extra dev --constraint requirements/base.txt -o requirements/dev.txt
	$(PYTHON) scripts/check_lock.py --stamp

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract and compile the translations after changing user-facing strings.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles .celery
