# socialdesk: `make demo` runs the product; `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: setup browser mail atproto demo cluster test lint bench clean

$(STAMP): pyproject.toml constraints.txt setup.py src/socialdesk/listening/_native.c src/socialdesk/triage/_scan.c
	@$(PYTHON) -c 'import sys; sys.exit("socialdesk needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser tests (never a browser download from the internet).
browser:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }

demo: setup
	$(VENV)/bin/socialdesk demo

# Scale-out mode on this machine: PostgreSQL + NATS + 2 web processes + workers (docs/deploy.md).
cluster: setup
	$(VENV)/bin/socialdesk dev-cluster

# Debian's Dovecot for the e-mail channel tests: the tests start their own unprivileged instance on a
# loopback port (tests/support/mailserver.py); no system service is started or configured.
mail:
	@[ -x /usr/sbin/dovecot ] || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; }

# Bluesky's reference servers (PLC + PDS) for the Bluesky channel tests, cached outside the repo.
atproto:
	bash tests/support/atproto/install.sh

# The rules first (seconds), then the suite: a broken rule fails CI before any test runs.
test: lint browser mail atproto
	$(PY) -m pytest

# ruff (lint and format), the import contracts of pyproject.toml's [tool.importlinter], mypy strict.
lint: setup
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(VENV)/bin/mypy

bench: setup
	$(VENV)/bin/socialdesk bench ingest
	$(VENV)/bin/socialdesk bench match
	$(VENV)/bin/socialdesk bench triage
	$(VENV)/bin/socialdesk bench routing
	$(VENV)/bin/socialdesk bench pipeline
	$(VENV)/bin/socialdesk bench incidents

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
