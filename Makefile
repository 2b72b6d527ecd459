# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint format messages serve clean

$(STAMP): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_anji
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py seed_demo
	@echo "Serving at http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests (tests/browser) drive Debian's Chromium with Playwright for Python; the
# Playwright browser downloads are not used.
CHROMIUM := /usr/bin/chromium

test: install
	@test -x $(CHROMIUM) || { echo "Browser tests need Debian's chromium: apt-get install chromium"; exit 1; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest --create-db

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
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
