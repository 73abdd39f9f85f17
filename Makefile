# cswidgets — every command sets itself up on a fresh machine (virtualenv, pip, npm, bundle).
#   make demo    JupyterLab on notebooks/, connected to a simulated DSS unless one is configured
#   make test    the suite: ruff, vitest, pytest (API, simulator, widgets), nbval, a browser journey per panel (~7 min)
#   make test-compat   the wheel in the code environments DSS users have (README "Using it in DSS")
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
PYTEST_ARGS ?=
# pytest-xdist: two workers, each running whole test files (module fixtures, nbval's notebooks, the
# session's Jupyter servers per worker); PYTEST_WORKERS= runs in one process
PYTEST_WORKERS ?= -n 2 --dist loadfile

.PHONY: demo test test-slow fuzz-long test-compat test-dss-like test-js test-py test-browser lint build setup wheel dist docs bench soak clean dev screenshots notebooks records

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

cswidgets/static/.built: $(STAMPS)/npm js/*.mjs js/*/*.js js/*/*.css
	npm run build
	@touch $@

build: cswidgets/static/.built

$(STAMPS)/venv: pyproject.toml cswidgets/static/.built
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@# pip's editable build (hatch-jupyter-builder) runs `npm install`, which rewrites package-lock.json
	@# (same content, new time): mark npm and the bundle current again, or every make reinstalls everything
	@touch $(STAMPS)/npm cswidgets/static/.built $@

setup: $(STAMPS)/venv

demo: setup
	$(PY) -m cswidgets.demo

dev: setup  ## hot reload: bundler in watch mode + ANYWIDGET_HMR=1
	(npm run dev &) ; ANYWIDGET_HMR=1 $(PY) -m cswidgets.demo

LINT := $(VENV)/bin/ruff check cswidgets tests benchmarks && npm run --silent lint && npm run --silent typecheck

lint: setup  ## ruff (Python), biome (JS, CSS, JSON) and tsc --checkJs (JSDoc types of js/)
	$(LINT)

test-js: $(STAMPS)/npm
	npx vitest run

test-py: setup
	$(PY) -m pytest -m "not browser and not slow" tests notebooks --nbval $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-browser: setup
	$(PY) -m pytest -m browser tests $(PYTEST_WORKERS) $(PYTEST_ARGS)

# DSS's notebooks: classic Notebook 6.5 + widgetsnbextension 3.6 (no anywidget) and a kernel env where the
# wheel is pip-installed, with ipywidgets 7.8 and 8.1; environments cached in .compat/ (keyed by the wheel)
test-dss-like: wheel
	CSW_DSS_LIKE=1 $(PY) -m pytest -m dss_like tests/dss_like $(PYTEST_ARGS)

# The whole suite. Browser tests are required when CSW_REQUIRE_BROWSER=1 (CI sets it).
# Lint and vitest (~20 s, one process) run beside pytest; their output follows pytest's, and any
# failure fails the target.
test: setup
	@( set -x; $(LINT) && npx vitest run ) > $(STAMPS)/lint-and-vitest.log 2>&1 & checks=$$!; \
	$(PY) -m pytest -m "not slow" tests notebooks --nbval $(PYTEST_WORKERS) $(PYTEST_ARGS); tests=$$?; \
	wait $$checks; lint=$$?; \
	echo "== lint and vitest (ran beside pytest): $$([ $$lint = 0 ] && echo passed || echo FAILED)"; \
	cat $(STAMPS)/lint-and-vitest.log; \
	[ $$tests = 0 ] && [ $$lint = 0 ]

# The slow tests: the browser tests beyond one journey per panel (each issue's findings, layouts, marimo, the
# screenshots: tests/browser/conftest.py CORE), soak (60 s), packaging (builds and installs a wheel), the demo's
# start/stop, the long property runs and the medium fuzz of server answers (100 per endpoint, 25 per panel, fixed seed: ~4 min; the
# 1,000 of `make fuzz-long` take ~40 min, more than CI's budget). CI runs them after `make test`.
# The long property runs take 100 sequences per combination here (250 with CSW_PROPERTY_PROFILE=long alone).
# Two workers; the packaging tests stay together on one (xdist_group), the rest spread test by test.
FUZZ_CI_EXAMPLES ?= 100
test-slow: setup
	CSW_FUZZ_LONG=1 CSW_FUZZ_LONG_EXAMPLES=$(FUZZ_CI_EXAMPLES) CSW_PROPERTY_LONG_EXAMPLES=100 \
	  $(PY) -m pytest -m slow tests -n 2 --dist loadgroup $(PYTEST_ARGS)

# The long fuzz alone (1,000 generated answers per endpoint, 250 per panel; about 40 minutes on 2 cores). Its
# answers come from a fixed seed, so a failure is reproducible; CSW_FUZZ_SEED=random (or another number) draws
# others; CSW_FUZZ_LONG_EXAMPLES=N sets the count.
fuzz-long: setup
	CSW_FUZZ_LONG=1 $(PY) -m pytest -m slow tests/hardening/test_fuzz_answers.py tests/hardening/test_fuzz_http.py $(PYTEST_ARGS)

wheel: setup build
	rm -rf dist && $(PY) -m build --wheel --outdir dist .

# A release's artifacts: the sdist (with the built front end) and the wheel built from it, checked by twine
# (`make test-slow` builds them too, checks their contents and installs the sdist into a clean environment).
dist: setup build
	rm -rf dist && $(PY) -m build --outdir dist . && $(PY) -m twine check --strict dist/*

# The documentation: the guides (README, CHANGELOG, docs/dss-api.md) and the API reference generated from the
# docstrings of every module (Sphinx autosummary over the packages: moved or new modules need no edit here).
# Warnings are errors; offline. From scratch each time: stubs of moved modules must not linger. ~1-2 min.
docs: setup
	rm -rf docs/_build docs/api/_generated
	$(PY) -m sphinx -b html -W --keep-going -q docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

# Each environment of scripts/compat_env.py (built in .compat/ from dist/*.whl, 2 at a time, pip's cache
# shared): import, the API against the simulator, every panel's Python side (tests/compat). About 6 min
# on 2 cores from scratch, 1 min once the environments exist. COMPAT_ENVS=py39-oldest limits the run.
COMPAT_ENVS ?=
test-compat: wheel
	$(PY) scripts/compat_env.py run $(COMPAT_ENVS)

bench: setup  ## every benchmark, one table: benchmarks/RESULTS.md
	$(PY) benchmarks/run_all.py

soak: setup  ## the long soak (10 minutes); `make bench` runs its short form
	$(PY) benchmarks/run_all.py --long --only bench_soak

screenshots: setup  ## regenerate docs/screenshots/*.png (light and dark) from the browser tests
	$(PY) scripts/screenshots.py

records: setup  ## regenerate tests/js/fixtures/records.json (the records Python sends, for the JS tests)
	$(PY) -m tests.records_fixture

notebooks: setup  ## re-execute the notebooks against the seeded simulator and save their outputs
	$(PY) scripts/execute_notebooks.py

clean:
	rm -rf $(STAMPS) dist build cswidgets/static node_modules .compat docs/_build docs/api/_generated
