# tifa: two commands on a fresh machine (Python 3.11 + make):
#   make report   # venv from requirements.lock, pipeline, figures, notebooks, HTML
#   make test     # the test suite, including every notebook top to bottom
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help venv build figures notebooks report test test-fast benchmark lock sync-notebooks dictionary clean lab cases cases-legislation cases-legislation-sample

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.3.1"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP) ## create .venv from the pinned lock file (only if missing or changed)

build: venv ## run the pipeline: data/raw -> data/processed (python -m tifa build)
	$(PY) -m tifa build --raw data/raw --out data/processed

figures: build ## draw every figure: figures/<name>.pdf|svg|png|csv
	$(PY) -m tifa figures

notebooks: figures ## execute notebooks in order -> reports/<notebook>.html
	$(PY) -m tifa notebooks

dictionary: venv ## write docs/data_dictionary.md from the table schemas
	$(PY) -m tifa dictionary

report: notebooks dictionary ## everything: pipeline, figures, notebooks, reports/index.html, LaTeX tables
	$(PY) -m tifa report
	@echo "open reports/index.html"

test: venv ## run the test suite (rebuild check, notebooks, browser check where chromium exists)
	$(PY) -m pytest

test-fast: venv ## tests without the slow notebook and rebuild checks
	$(PY) -m pytest -m "not slow and not browser"

# Real multi-tier cases, built from the archives in data/cases/archives/ (never from ../shared).
LEGIS_ARCHIVE := data/cases/archives/laws-shandong-henan.tar.xz
LEGIS_DIR ?= data/cases/legislation
LEGIS_SAMPLE ?=
cases: cases-legislation ## build every real case: data/cases/<case>/{raw,processed}
	$(PY) -m tifa case gwr2026

cases-legislation: venv ## legislation case: the archive -> $(LEGIS_DIR)/{raw,processed} (import, build, articles, citations), timed
	@set -eo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tar -xJf $(LEGIS_ARCHIVE) -C "$$tmp" $(if $(LEGIS_SAMPLE),-T $(LEGIS_SAMPLE)); \
	rm -rf $(LEGIS_DIR)/raw; start=$$(date +%s); \
	$(PY) -m tifa import "$$tmp/laws-shandong-henan" --layout legislation --raw $(LEGIS_DIR)/raw --prefix law; \
	$(PY) -m tifa build --raw $(LEGIS_DIR)/raw --out $(LEGIS_DIR)/processed --force --quiet; \
	$(PY) -m tifa legislation --processed $(LEGIS_DIR)/processed --raw $(LEGIS_DIR)/raw; \
	echo "legislation case built in $$(( $$(date +%s) - start )) s"

cases-legislation-sample: venv ## the legislation sample CI runs (data/cases/legislation/sample.txt) into /tmp/tifa-legislation-sample
	$(MAKE) cases-legislation LEGIS_SAMPLE=data/cases/legislation/sample.txt LEGIS_DIR=/tmp/tifa-legislation-sample

benchmark: venv ## time and memory of the build on a synthetic large corpus
	$(PY) scripts/benchmark.py

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

clean: ## remove rendered reports (keeps data/processed and figures, which are committed)
	rm -rf reports/*.html reports/tables reports/screenshots
