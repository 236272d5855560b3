# The front door. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: axe chromium servers setup test-cluster demo engine-demo test browser sword-modules screenshots lint bench bench-site bench-compare bench-edition bench-wordpress bench-replies bench-search bench-pages store clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install Manna with its development tools

store: $(STAMP)  ## build the local scripture store (once per machine; skipped when present)
	$(BIN)/manna import-bible --all --if-missing

demo: $(STAMP)  ## build everything and serve the site with the sample week at http://127.0.0.1:8000
	$(BIN)/manna init
	$(BIN)/manna serve --port 8000 --workers 2

engine-demo: store  ## the engine alone: read a passage, list the references in a paragraph, search
	$(BIN)/manna read "Exodus 33:12-23"
	$(BIN)/manna refs docs/sample-paragraph.txt --context "Exodus 33:12-23"
	$(BIN)/manna search '"shew me" glory' --limit 5

test: $(STAMP) servers chromium axe  ## run every test: all of them on SQLite (the browser's too), then the site's on a throwaway PostgreSQL (not the browser's again)
	$(BIN)/pytest
	$(BIN)/python tools/with_postgres.py $(BIN)/pytest -m "not browser" src/manna/devotions src/manna/bible src/manna/web src/manna/accounts src/manna/community src/manna/practice src/manna/desk src/manna/edition src/manna/queue src/manna/wordpress

test-cluster: $(STAMP) servers  ## Manna on several machines: PostgreSQL, Redis, two servers behind nginx (deploy/nginx/manna.conf), two workers (docs/deploy.md)
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q nginx-light)
	$(BIN)/python tools/with_postgres.py $(BIN)/pytest cluster

BROWSER_TESTS := src/manna/web/tests/test_browser.py src/manna/web/tests/test_phone.py src/manna/web/tests/test_app.py src/manna/web/tests/test_accessibility.py src/manna/devotions/tests/test_browser.py src/manna/community/tests/test_browser.py src/manna/practice/tests/test_browser.py src/manna/desk/tests/test_browser.py src/manna/edition/tests/test_browser.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

servers:  ## install Debian's redis-server when missing (the tests start their own, on a free port)
	command -v redis-server >/dev/null || test -x /usr/bin/redis-server || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q redis-server)

AXE_VERSION := 4.14.1
AXE := .cache/npm/node_modules/axe-core/axe.min.js

axe: $(AXE)  ## fetch axe-core (the accessibility checks the browser tests run) from npm, not kept in the repo
$(AXE):
	npm install --no-save --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

chromium:  ## install Debian's Chromium when missing (the real-browser tests drive it)
	command -v chromium >/dev/null || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium)

browser: $(STAMP) chromium axe  ## the real-browser tests alone
	$(BIN)/pytest $(BROWSER_TESTS)

sword-modules:  ## install Debian's SWORD Bibles (KJV, WEB with the deuterocanon) for the SWORD importer's tests
	test -f /usr/share/sword/mods.d/engKJV2006eb.conf -a -f /usr/share/sword/mods.d/engWEB2015eb.conf || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q sword-text-kjv sword-text-web)

screenshots: browser  ## the main pages at desktop and phone widths, the moderation flow and the practice pages, in screenshots/
	MANNA_SCREENSHOTS=$(CURDIR)/screenshots $(BIN)/pytest $(BROWSER_TESTS) -k "screenshots or moderation_flow or writes_previews or problem_is_shown"

lint: $(STAMP)  ## ruff, mypy (strict on the engine, markup and config) and the layers (import-linter)
	$(BIN)/ruff format --check src bench tools cluster
	$(BIN)/ruff check src bench tools cluster
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: store  ## accuracy on ../shared/refs, speed and memory targets
	-$(BIN)/python bench/accuracy.py  # reports; below-target figures do not stop the speed run
	$(BIN)/python bench/speed.py

bench-site: $(STAMP)  ## wrk against `manna serve --workers 2` and nginx (same page, static); 1,000-devotion import
	command -v wrk >/dev/null && command -v nginx >/dev/null || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk nginx-light)
	$(BIN)/python bench/site.py

bench-compare: $(STAMP)  ## the working tree against commit REF (default HEAD), both served at once, pages measured in turn
	command -v wrk >/dev/null || (DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk)
	$(BIN)/python bench/compare.py $(or $(REF),HEAD)

bench-edition: $(STAMP)  ## 50,000 subscribers, one hour's cohort sent by two workers to a local SMTP server; then a worker killed midway
	$(BIN)/python bench/edition.py

bench-pages: $(STAMP)  ## each page's time in-process (page cache off) and its queries; `bench/pages.py --profile PATH` profiles one
	$(BIN)/manna init >/dev/null
	$(BIN)/python bench/pages.py

bench-search: store  ## devotion search on 10,000 devotions: PostgreSQL's full-text search beside SQLite's
	$(BIN)/python tools/with_postgres.py $(BIN)/python bench/search.py

bench-wordpress: $(STAMP)  ## an export of 5,000 posts and 50,000 comments imported (target <= 60 s)
	$(BIN)/python bench/wordpress.py

bench-replies: $(STAMP)  ## 50 concurrent repliers for 30 s: each accepted reply stored once, each refused one told why
	$(BIN)/python bench/replies.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
