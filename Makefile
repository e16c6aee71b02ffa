# confnet: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs every test.
# The app runs from the checkout (flask --app app, gunicorn app:app, pytest): nothing to build.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app

.PHONY: install run test lint format chromium icaljs axe lock clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "confnet needs Python 3.11 or newer"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install chromium icaljs axe
	CONFNET_ICALJS=$(ICALJS) CONFNET_AXE=$(AXE) $(BIN)/pytest -n auto --maxprocesses 4

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Mozilla's ical.js (Thunderbird's parser) cross-checks the calendar feeds; npm installs it locally.
ICALJS := .cache/icaljs
icaljs:
	@test -d $(ICALJS)/node_modules/ical.js || npm install --silent --no-audit --no-fund \
	  --prefix $(ICALJS) ical.js@2.2.1 || echo "npm failed: the ical.js cross-check will not run"

# Deque's axe-core checks accessible names, alt texts and contrast in the browser tests
# (tests/e2e/test_quality.py); npm installs it locally.
AXE := .cache/axe
axe:
	@test -d $(AXE)/node_modules/axe-core || npm install --silent --no-audit --no-fund \
	  --prefix $(AXE) axe-core@4.11.0 || echo "npm failed: the axe-core checks will not run"

# The browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the end-to-end tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# Re-pin every dependency after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --extra bench --strip-extras --generate-hashes --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# The workshop sign-up rush (issue 4) against gunicorn, driven by locust; tables in bench/results/.
# SQLite by default; with DATABASE_URL=postgresql://... it creates and drops its own database there.
.PHONY: bench-rush
bench-rush: install
	$(BIN)/python -m bench.run rush

# Issue 8: a 10,000-attendee conference seeded in bulk, every attendee-facing endpoint under locust
# (8 users) with ratios to the /healthz floor, SQL queries per request, worker RSS, the feed
# rebuild; then the rush. Tables in bench/results/; exits non-zero when a target is missed.
.PHONY: bench
bench: install
	$(BIN)/python -m bench.run scale; status=$$?; \
	$(BIN)/python -m bench.run rush || status=1; exit $$status

# Issue 9: what the main pages weigh on the wire (first and repeat visit) in Chromium at phone
# size; table in bench/results/page-weight.md.
.PHONY: bench-pages
bench-pages: install chromium
	$(BIN)/python bench/page_weight.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
