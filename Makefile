# The two commands of the README: `make run` starts the bot, `make test` runs every test.
# Both create the virtual environment in .venv and install the project on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test demo bench lock

# installs come from the lock file (the versions the tests passed on), then the project itself
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(PY) -m bot demo

# the benchmarks (figures in docs/benchmarks.md); PostgreSQL too when TEST_POSTGRES_URL names a database they may wipe
bench: $(STAMP)
	$(PY) -m bench.notifications
	$(PY) -m bench.summary
	$(PY) -m bench.survey_answers
	$(PY) -m bench.documents
	$(PY) -m bench.updates

# the newest versions pyproject.toml allows, resolved in a clean environment, written to requirements.lock
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[test]'
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^nastavnik'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv
