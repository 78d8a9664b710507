# Balai: `make run` starts the app with the demo village; `make test` runs every test
# (`make test-postgres`: on PostgreSQL and Redis).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
HTMX_VERSION := 4.0.1
HTMX_INTEGRITY := sha512-oF7JgXhDW9UXCy/k1ZYFUQgzu/rm19ORWPSPNL91vPluB2PB9+MV55tyQdH/w7o2EAbTYUG5SDW1R60mdkdqGg==
CHROMIUM := /usr/bin/chromium

.PHONY: run test test-postgres install install-test vendor chromium clean

run: install vendor
	@HOST=$(HOST) PORT=$(PORT) ./run.sh

test: install-test vendor chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The same suite on the shared backends (PostgreSQL, Redis), started and stopped by the script.
test-postgres: install-test vendor chromium
	tests/services/postgres.sh $(BIN)/python -m pytest -q -p no:cacheprovider

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
vendor: balai/static/vendor/htmx.min.js

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@

# htmx is never committed: npm pack fetches the pinned release, checked against its integrity.
balai/static/vendor/htmx.min.js:
	@set -e; tmp=$$(mktemp -d); \
	(cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null); \
	got="sha512-$$(openssl dgst -sha512 -binary $$tmp/htmx.org-$(HTMX_VERSION).tgz | base64 -w0)"; \
	if [ "$$got" != "$(HTMX_INTEGRITY)" ]; then echo "htmx tarball integrity mismatch: $$got"; rm -rf $$tmp; exit 1; fi; \
	tar -xzf $$tmp/htmx.org-$(HTMX_VERSION).tgz -C $$tmp; \
	mkdir -p balai/static/vendor; cp $$tmp/package/dist/htmx.min.js balai/static/vendor/htmx.min.js; \
	rm -rf $$tmp; echo "htmx $(HTMX_VERSION) installed (integrity checked)"

# Browser tests use the system Chromium; Playwright's own browser download is not used.
chromium:
	@test -x $(CHROMIUM) || { echo "Installing Chromium from the system packages"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || { echo "Could not install chromium (try: sudo apt-get install chromium)"; exit 1; }; }

clean:
	rm -rf $(VENV) balai/static/vendor
