# Two commands do everything: `make serve` and `make test`. Both create the virtual
# environment and install the pinned requirements when they are missing or changed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# The site's models are tiny: one CPU thread trains them fastest (no synchronization
# overhead, no oversubscription when a build, a kernel and pytest share 2 cores), and the
# same thread count everywhere keeps results bit-for-bit repeatable between runs.
export OMP_NUM_THREADS ?= 1
# pre-commit's local hooks run the pinned tools from the venv.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: serve test build lint clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

## serve: the site at http://127.0.0.1:8000, rebuilt on every save
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## lint: the pre-commit hooks (ruff, codespell, whitespace, YAML) over every tracked file
lint: $(STAMP)
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

## test: every check: lint, snippets, formulas, code blocks, the strict build, the built HTML
test: lint
	$(BIN)/python -m pytest

## build: the static site in site/
build: $(STAMP)
	$(BIN)/mkdocs build --strict

clean:
	rm -rf site .cache .pytest_cache
