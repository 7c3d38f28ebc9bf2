# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DATA   ?= data
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install demo index serve test test-cluster lint bench translations clean \
        opensearch-up opensearch-down

# The venv's own pip, never upgraded: the package must install with the pip a system's
# Python ships (tests/test_packaging.py checks it with Debian's).
# The wheelhouse holds every wheel a plain install needs (and setuptools to build ours),
# fetched now, so the packaging test installs offline: nothing is downloaded while
# tests run.
$(BIN)/searchhub: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip wheel --quiet --wheel-dir $(VENV)/wheelhouse . 'setuptools>=68'
	@touch $@

install: $(BIN)/searchhub

## Install, index the bundled demo corpus, serve it on http://$(HOST):$(PORT)/
demo: install
	$(BIN)/searchhub --data-dir $(DATA) index --quiet
	$(BIN)/searchhub --data-dir $(DATA) collections seed
	@# a few fictional expert profiles, marked as examples, through the importer
	$(BIN)/searchhub --data-dir $(DATA) experts import corpus/experts/examples.csv
	$(BIN)/searchhub --data-dir $(DATA) serve --host $(HOST) --port $(PORT)

index: install
	$(BIN)/searchhub --data-dir $(DATA) index

serve: install
	$(BIN)/searchhub --data-dir $(DATA) serve --host $(HOST) --port $(PORT)

## Install and run the whole test suite (what CI runs)
test: install
	@# axe-core for the accessibility checks in the browser tests (skipped without it)
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent || echo "npm ci failed: the accessibility checks will be skipped"; fi
	$(BIN)/ruff check .
	@# Three workers, one test file each at a time (module fixtures are built once per file),
	@# handed out in the order collected: the longest files first (tests/conftest.py).
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=25

## The node-kill test and the OpenSearch relevance floor on the real corpus (not in
## `make test`): its own three-node OpenSearch cluster, one node
## SIGKILLed while searches and indexing go on; prints its figures (Java and Maven needed)
test-cluster: install
	SEARCHHUB_TEST_CLUSTER=1 $(BIN)/python -m pytest tests/engine/test_cluster_fault.py \
	  tests/engine/test_opensearch_relevance.py \
	  tests/engine/test_opensearch_rebuild.py::test_a_rebuild_merges_away_its_deleted_documents_before_the_switch -s

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/bench.py --docs 100000

## The interface's messages: pull new strings of the code and templates into every
## web/translations/<lang>/messages.po (translate them there), then compile the .mo files,
## which are committed so that an installed searchhub needs no build step
## (tests/web/test_i18n.py fails when a message is untranslated or a .mo is stale).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k notice -k plural_notice:1,2 --no-location --sort-output -o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d web/translations --width 100 --ignore-obsolete
	$(BIN)/pybabel compile -d web/translations --statistics

## A local three-node OpenSearch cluster on 127.0.0.1:9201-9203 (Java and Maven needed;
## OPENSEARCH_PORT names the first HTTP port), then SEARCHHUB_ENGINE=opensearch uses it
opensearch-up:
	$(PYTHON) scripts/opensearch_cluster.py up

opensearch-down:
	$(PYTHON) scripts/opensearch_cluster.py down

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
