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
# The HTML checker of the markup test (tests/web/test_html_checker.py), kept in the venv, never committed.
VNU_VERSION := 26.9.27
VNU_INTEGRITY := sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==
VNU_JAR := $(VENV)/vnu-$(VNU_VERSION).jar

.PHONY: run test test-postgres install install-test vendor chromium java vnu clean

run: install vendor
	@HOST=$(HOST) PORT=$(PORT) ./run.sh

test: install-test vendor chromium vnu
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The same suite on the shared backends (PostgreSQL, Redis), started and stopped by the script.
test-postgres: install-test vendor chromium vnu
	tests/services/postgres.sh $(BIN)/python -m pytest -q -p no:cacheprovider

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
vendor: balai/static/vendor/htmx.min.js
vnu: java $(VNU_JAR)

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

# The HTML checker (vnu-jar from npm), checked against its integrity like htmx, run by the system's Java.
$(VNU_JAR): | $(BIN)/python
	@set -e; tmp=$$(mktemp -d); \
	(cd $$tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null); \
	got="sha512-$$(openssl dgst -sha512 -binary $$tmp/vnu-jar-$(VNU_VERSION).tgz | base64 -w0)"; \
	if [ "$$got" != "$(VNU_INTEGRITY)" ]; then echo "vnu-jar tarball integrity mismatch: $$got"; rm -rf $$tmp; exit 1; fi; \
	tar -xzf $$tmp/vnu-jar-$(VNU_VERSION).tgz -C $$tmp; \
	cp $$tmp/package/build/dist/vnu.jar $@; \
	rm -rf $$tmp; echo "vnu-jar $(VNU_VERSION) installed (integrity checked)"

java:
	@command -v java >/dev/null || { echo "Installing Java from the system packages"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) >/dev/null \
	  || { echo "Could not install java (try: sudo apt-get install default-jre-headless)"; exit 1; }; }

clean:
	rm -rf $(VENV) balai/static/vendor
