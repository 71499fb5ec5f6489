# tifa: two commands on a fresh machine (Python 3.11 + make):
#   make report   # venv from requirements.lock, then the build graph: pipeline, figures, notebooks, HTML (only what changed)
#   make test     # the test suite, including every notebook top to bottom
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help venv build figures notebooks report cases graph test test-fast benchmark lock sync-notebooks dictionary clean lab

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.3.1"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP) ## create .venv from the pinned lock file (only if missing or changed)

# Every product below is a task of one build graph (src/tifa/graph.py, run by doit): each target calls the
# graph once, and the graph reruns only what reads something that changed (inputs, code, parameters).
build: venv ## run the pipeline: data/raw -> data/processed (tables, label tables included)
	$(PY) -m tifa run build

figures: venv ## draw every figure that is not up to date: figures/<name>.pdf|svg|png|csv
	$(PY) -m tifa run figures

notebooks: venv ## execute the notebooks that are not up to date -> reports/<notebook>.html
	$(PY) -m tifa run notebooks

dictionary: venv ## write docs/data_dictionary.md from the table schemas
	$(PY) -m tifa run dictionary

graph: venv ## draw the build graph -> docs/build_graph.png|svg (and list its tasks)
	$(PY) -m tifa graph
	$(PY) -m tifa run --list

report: venv ## everything, skipping what is up to date: tables, figures, notebooks, reports/index.html, LaTeX tables
	$(PY) -m tifa run report
	@echo "open reports/index.html"

test: venv ## run the test suite (rebuild check, notebooks, browser check where chromium exists)
	$(PY) -m pytest

test-fast: venv ## tests without the slow notebook and rebuild checks
	$(PY) -m pytest -m "not slow and not browser"

# Real multi-tier cases, built from the archives in data/cases/archives/ (never from ../shared). make report builds
# the work-report case itself; the legislation case takes about 8 minutes on two cores (docs/benchmark_cases.md), so it is built here, and
# the next make report renders its notebook.
cases: venv ## build both real cases from data/cases/archives/ into data/cases/<case>/ (legislation: about 8 min), then the report
	$(PY) -m tifa case legislation
	$(PY) -m tifa run report

benchmark: venv ## time and memory of the build on a synthetic large corpus; the full build of both real cases; incremental rebuilds of the seeds
	$(PY) scripts/benchmark.py
	$(PY) scripts/benchmark_cases.py
	$(PY) scripts/incremental.py

# The kernel goes into the venv itself (no root needed, nothing in ~); as root (a container) JupyterLab needs
# --allow-root. The server's root is the checkout, so that jupytext finds ./jupytext.toml (it looks no higher
# than the root); jupyter/settings/overrides.json makes JupyterLab open a .py notebook as a notebook; it opens on notebooks/.
# KERNEL_PREFIX and LAB_ARGS exist for tests (e.g. LAB_ARGS="--no-browser --port=8899 --IdentityProvider.token=secret").
KERNEL_PREFIX ?= $(VENV)
LAB_ARGS ?=
lab: venv ## register the `tifa` Jupyter kernel for .venv and start JupyterLab on notebooks/
	$(PY) -m ipykernel install --prefix "$(abspath $(KERNEL_PREFIX))" --name tifa --display-name "Python (tifa)"
	JUPYTER_PATH="$(abspath $(KERNEL_PREFIX))/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}" \
	  exec "$(abspath $(PY))" -m jupyterlab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
	  --LabApp.app_settings_dir="$(CURDIR)/jupyter/settings" \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

sync-notebooks: venv ## normalise notebooks/*.py (kernel header; takes in a newer local .ipynb copy if one exists)
	$(PY) -m tifa sync-notebooks

lock: venv ## re-pin requirements.lock from .venv and regenerate environment.yml
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' | grep -iv '^tifa' > requirements.lock
	$(PY) -m tifa.environment

clean: ## remove rendered reports and the build graph's memory (keeps data/processed and figures, which are committed)
	rm -rf reports/*.html reports/tables reports/screenshots data/.processed.graph*.json
