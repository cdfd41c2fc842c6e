# calcml: `make docs` builds the site, `make serve` serves it, `make test` runs every check.
# Each sets up .venv from the lock file first, when it is missing or older than its inputs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: docs serve test lint lock clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "calcml needs Python 3.11 or newer; set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--constraint requirements.lock --editable '.[docs,test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

docs: $(STAMP)
	$(BIN)/python scripts/build_docs.py

serve: docs
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test: $(STAMP)
	$(BIN)/ruff check calcml scripts tests docs
	$(BIN)/ruff format --check calcml scripts tests docs
	$(BIN)/python -m pytest

# Re-resolve the lock file: the newest versions pip finds for this Python, written out exactly.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[docs,test]'
	{ echo "# Exact versions for Python $$($(PYTHON) -c 'import sys; print(*sys.version_info[:2], sep=".")'), written by make lock."; \
		.lock-venv/bin/python -m pip freeze --exclude calcml; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) site .cache
