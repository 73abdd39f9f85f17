# cswidgets — every command sets itself up on a fresh machine (virtualenv, pip, npm, bundle).
#   make demo    JupyterLab on notebooks/, connected to a simulated DSS unless one is configured
#   make test    the whole suite: ruff, vitest, pytest (API, simulator, widgets), nbval, browser
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
PYTEST_ARGS ?=

.PHONY: demo test test-js test-py test-browser test-dss-like lint build setup wheel bench soak clean dev screenshots notebooks

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

cswidgets/static/.built: $(STAMPS)/npm js/*.js js/*/*.js
	npm run build
	@touch $@

build: cswidgets/static/.built

$(STAMPS)/venv: pyproject.toml cswidgets/static/.built
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

setup: $(STAMPS)/venv

demo: setup
	$(PY) -m cswidgets.demo

dev: setup  ## hot reload: bundler in watch mode + ANYWIDGET_HMR=1
	(npm run dev &) ; ANYWIDGET_HMR=1 $(PY) -m cswidgets.demo

lint: setup
	$(VENV)/bin/ruff check cswidgets tests benchmarks

test-js: $(STAMPS)/npm
	npx vitest run

test-py: setup
	$(PY) -m pytest -m "not browser and not slow" tests notebooks --nbval $(PYTEST_ARGS)

test-browser: setup
	$(PY) -m pytest -m browser tests $(PYTEST_ARGS)

# DSS's notebooks: classic Notebook 6.5 + widgetsnbextension 3.6 (no anywidget) and a kernel env where the
# wheel is pip-installed, with ipywidgets 7.8 and 8.1; environments cached in .compat/ (keyed by the wheel)
test-dss-like: wheel
	CSW_DSS_LIKE=1 $(PY) -m pytest -m dss_like tests/dss_like $(PYTEST_ARGS)

# The whole suite. Browser tests are required when CSW_REQUIRE_BROWSER=1 (CI sets it).
test: setup lint test-js
	$(PY) -m pytest -m "not slow" tests notebooks --nbval $(PYTEST_ARGS)

wheel: build
	rm -rf dist && $(PY) -m build --wheel --outdir dist .

bench: setup  ## every benchmark, one table: benchmarks/RESULTS.md
	$(PY) benchmarks/run_all.py

soak: setup  ## the long soak (10 minutes); `make bench` runs its short form
	$(PY) benchmarks/run_all.py --long --only bench_soak

screenshots: setup  ## regenerate docs/screenshots/*.png (light and dark) from the browser tests
	$(PY) scripts/screenshots.py

notebooks: setup  ## re-execute the notebooks against the seeded simulator and save their outputs
	$(PY) scripts/execute_notebooks.py

clean:
	rm -rf $(STAMPS) dist build cswidgets/static node_modules
