# The entry points: make site, make posters, make serve, make check, make test, make bench.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING = 1

.PHONY: site posters usb serve check test bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)          ## build the sample site into site/
	$(VENV)/bin/bulletin build

posters: $(STAMP)       ## build the site with print-ready posters (PDF, both scripts) in site/posters/
	$(VENV)/bin/bulletin posters

usb: $(STAMP)           ## build, and write a copy that opens from a USB stick into site-usb/
	$(VENV)/bin/bulletin build --for-usb site-usb

serve: $(STAMP)         ## preview with live reload on http://127.0.0.1:8000/
	$(VENV)/bin/bulletin serve

check: $(STAMP)         ## check site_src/ without building
	$(VENV)/bin/bulletin check

# The accessibility and HTML checkers (axe-core, vnu), pinned in tests/a11y; needs npm (and Java for vnu).
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime of its own.
A11Y = tests/a11y/node_modules/.installed-stamp
$(A11Y): tests/a11y/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix tests/a11y
	touch $(A11Y)

test: $(STAMP) $(A11Y)  ## every test, browser tests included
	$(PY) -m pytest -q -p no:cacheprovider

bench: $(STAMP)         ## benchmarks against peers measured in the same run
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run.py

screenshots: site       ## every page kind × 简繁 × phone and desktop, and the screen, into screenshots/
	$(PY) scripts/screenshots.py site screenshots

clean:
	rm -rf site site.prev site-usb .cache build screenshots
