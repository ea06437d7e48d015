# The commands of the README. Every target sets itself up first: a fresh
# clone needs only Python 3.11+, Node.js with npm, and (for the browser and
# HTML tests) Chromium and Java, which .ci/run installs on Debian.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONPATH := plugins

.PHONY: setup serve build check test bench bench-search bench-directory bench-hostile clean new-member codeowners

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

serve: setup
	$(PY) -m tools.serve --port $(PORT)

build: setup
	$(PY) -m tools.build --settings publishconf.py

check: $(VENV)/.installed
	$(PY) -m validation

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m tools.bench_parallel
	$(PY) -m tools.bench

bench-search: setup
	$(PY) -m tools.bench_search

bench-directory: setup
	$(PY) -m tools.bench_directory

bench-hostile: setup
	$(PY) -m tools.bench_hostile --build

clean:
	rm -rf output .output.* .pytest_cache .hypothesis

new-member: $(VENV)/.installed
	@test -n "$(NAME)" || { echo 'Usage: make new-member NAME="Example Trust"'; exit 2; }
	$(PY) -m tools.new_member "$(NAME)"

codeowners: $(VENV)/.installed
	$(PY) -m tools.codeowners
