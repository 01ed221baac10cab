# Zhaoshang — two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ZS := $(BIN)/zhaoshang
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup venv assets demo lint check migrations-check pytest bench clean system-deps bundle bundle-test

run: setup demo
	@echo ""
	@echo "演示地址 http://$(HOST):$(PORT)/  (演示账号见上)"
	$(ZS) runserver $(HOST):$(PORT)

setup: $(VENV)/.installed assets system-deps
	@mkdir -p var
	$(ZS) migrate --noinput -v 0

# The virtual environment, installed from the hash-pinned lock file. The editable install builds in
# isolation with the backend pyproject.toml asks for (setuptools>=69): a fresh venv's bundled
# setuptools 65 cannot build it without the wheel package.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

# Front-end libraries (Bootstrap, htmx, ECharts) from the npm registry, pinned by package-lock.json,
# served by the app itself: no CDN at run time.
assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: setup
	$(ZS) demo

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

check: setup
	$(ZS) check --fail-level WARNING

migrations-check: $(VENV)/.installed
	$(ZS) makemigrations --check --dry-run

pytest: setup
	$(BIN)/pytest $(PYTEST_ARGS)

# Debian packages: free CJK fonts and Pango for the PDF reports (WeasyPrint), Chromium for the browser
# tests, nginx for the production-server test (tests/test_deploy_server.py; deploy/nginx/), LibreOffice
# Writer for the check of the Word reports by a real office program (tests/test_reports_word.py).
# Installed when missing and we are root with apt-get; otherwise those tests skip and the PDF export
# says what is missing (CI requires nginx and LibreOffice: .ci/run).
SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium nginx-light \
	libreoffice-writer-nogui
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing"; \
	    (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null) \
	      || echo "warning: could not install$$missing (browser tests will be skipped)"; \
	  else echo "note:$$missing not installed and not root: browser tests will be skipped"; fi; \
	fi

test: lint check migrations-check pytest

# The offline bundle (README 部署): dist/zhaoshang-VERSION-offline.tar.gz with the hash-pinned wheels
# for BUNDLE_ARCH (downloaded once into var/bundle/), the front-end files, deploy/ and install.sh.
BUNDLE_ARCH ?= x86_64
BUNDLE := dist/zhaoshang-$(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)-offline.tar.gz
bundle: $(VENV)/.installed assets
	$(BIN)/python scripts/make-bundle.py $(foreach a,$(BUNDLE_ARCH),--arch $(a))

# Installs the bundle into a fresh directory without network and serves the login page.
bundle-test: bundle
	ZHAOSHANG_BUNDLE=$(BUNDLE) $(BIN)/pytest -p no:randomly tests/test_bundle.py

# The modules compiled first, as an installation's are (pip compiles them): with
# PYTHONDONTWRITEBYTECODE set, a checkout would otherwise compile them again in every run's first reads.
bench: setup
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m zhaoshang.bench

clean:
	rm -rf $(VENV) node_modules var dist
