# Two commands on a fresh machine: `make run` and `make test`.
# Each step re-runs only when its inputs change (stamps in .make/), so a warm
# run goes straight to the app or the tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMPS := .make

# Debian packages: the PDF's fonts (Liberation Sans; DejaVu Sans for other
# scripts; Symbola for emoji) and HarfBuzz's subsetter for WeasyPrint (without it PDF
# rendering falls back to a path ~3x slower); for tests, Chromium, poppler,
# PostgreSQL 15 and Redis (the suite starts its own throwaway servers from them),
# zbar-tools (zbarimg reads the invitation QR codes back);
# for benchmarks, wrk (the load generator), PostgreSQL 15 and Chromium (the summary
# PDF is timed beside Chromium printing the same HTML).
RUN_PACKAGES := libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core fonts-symbola
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils postgresql-15 redis-server zbar-tools
BENCH_PACKAGES := $(RUN_PACKAGES) wrk postgresql-15 chromium

.PHONY: run test bench setup db assets clean translations

# Plain http://127.0.0.1 on this machine only: the production cookie (Secure,
# __Host-) is relaxed here so every browser keeps it; nothing else changes.
run: setup db
	FLASK_SESSION_COOKIE_SECURE=false FLASK_SESSION_COOKIE_NAME=session $(FLASK) run --host 127.0.0.1 --port 5000

# Test processes (pytest-xdist): one more than the cores, as each spends much
# of its time waiting on Chromium, gunicorn or PostgreSQL. Measured on 2 cores:
# 3 processes finished in 3:02 where 2 took 4:26.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

# The packages come first, so a new machine runs apt-get update once. The
# linter next (seconds, and it names the line), then the tests in parallel
# (worksteal evens out the long browser walks), listing the 20 slowest so a
# slowdown is seen the day it lands.
test: $(STAMPS)/test-packages setup db
	$(BIN)/ruff check app tests bench
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=20

# Starts its own servers and databases on loopback; see BENCHMARKS.md.
bench: $(STAMPS)/bench-packages setup
	$(BIN)/python -m bench

# The interface's translations: .po files are kept in git; the .mo files
# gettext reads are built from them here (and git-ignored).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

setup: $(STAMPS)/run-packages $(STAMPS)/python $(STAMPS)/assets $(CATALOGUES)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po | $(STAMPS)/python
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After marking new words: gather every message from the code and templates
# into each catalogue (new ones arrive untranslated; the tests list them).
translations: $(STAMPS)/python
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --add-location=file --sort-by-file \
		--project="Prepare for your procedure" -o $(STAMPS)/messages.pot app templates
	$(BIN)/pybabel update -i $(STAMPS)/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

# The schema, then the procedure files published: patients see only published
# versions, and publishing again when nothing changed publishes nothing.
db: setup
	$(FLASK) db upgrade
	$(FLASK) content publish

$(STAMPS):
	mkdir -p $@

# Installs only what is missing, so a machine that has everything is not touched;
# checked again when the Makefile (and so a package list) changes.
define ensure_packages
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		if [ "$$(id -u)" -ne 0 ]; then echo "Run as root, or install them yourself: apt-get install $$missing" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing </dev/null; \
	fi
endef

$(STAMPS)/run-packages: Makefile | $(STAMPS)
	$(call ensure_packages,$(RUN_PACKAGES))
	touch $@

$(STAMPS)/test-packages: Makefile | $(STAMPS)
	$(call ensure_packages,$(TEST_PACKAGES))
	touch $@

$(STAMPS)/bench-packages: Makefile | $(STAMPS)
	$(call ensure_packages,$(BENCH_PACKAGES))
	touch $@

$(STAMPS)/python: pyproject.toml | $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(STAMPS)/assets: package.json package-lock.json build-assets.mjs | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

clean:
	rm -rf $(STAMPS) $(VENV) node_modules static/vendor
