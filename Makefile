# Two commands do everything: `make serve` and `make test`. Both create the virtual
# environment and install the pinned requirements when they are missing or changed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# One CPU thread for the snippets and tests run from here too (the build sets it for itself
# in docs_build/__init__.py, however it is started): the models are tiny, and one thread
# count everywhere keeps results bit-for-bit repeatable between runs.
export OMP_NUM_THREADS ?= 1
# pre-commit's local hooks run the pinned tools from the venv.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: serve test build lint clean linkcheck screenshots benchmark test-other-cpu

# --no-compile: pip would byte-compile every installed module (~30 s, most never imported);
# one import of what the runs use compiles just those, once, before parallel runs need them.
# Python must be allowed to write them: with PYTHONDONTWRITEBYTECODE set (as on this project's
# CI machine), each of the ~15 processes of a test run would compile torch again.
unexport PYTHONDONTWRITEBYTECODE
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt
	$(BIN)/python -c 'import torch, sympy, matplotlib.pyplot, mkdocs.commands.build, nbclient, ipykernel.kernelapp, playwright.sync_api, pytest'
	touch $(STAMP)

## serve: the site at http://127.0.0.1:8000, rebuilt on every save
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## lint: the pre-commit hooks (ruff, codespell, whitespace, YAML) over every tracked file
lint: $(STAMP)
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

## test: every check: lint, snippets, formulas, code blocks, the strict build, the built HTML,
## and every page in headless Chromium (installed once by scripts/ensure-browser.sh)
test: lint
	bash scripts/ensure-browser.sh
	$(BIN)/python -m pytest

## build: the static site in site/
build: $(STAMP)
	$(BIN)/mkdocs build --strict

## linkcheck: every external link on the built site answers (needs the internet; not in test)
linkcheck: $(STAMP)
	$(BIN)/python scripts/check_external_links.py

## screenshots: every page, light and dark, 1280 px and 390 px wide, into screenshots/
screenshots: $(STAMP)
	bash scripts/ensure-browser.sh
	$(BIN)/python scripts/screenshots.py

## benchmark: Lighthouse scores, page weight, build and test time (prints a Markdown table)
benchmark: $(STAMP)
	bash scripts/ensure-browser.sh --full
	$(BIN)/python scripts/benchmark.py

## test-other-cpu: the CPU-dependent tests on an emulated CPU without AVX-512 (qemu-user)
test-other-cpu: $(STAMP)
	bash scripts/test-other-cpu.sh

clean:
	rm -rf site .cache .pytest_cache
