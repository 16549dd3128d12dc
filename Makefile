# The two commands of the README: `make run` starts the bot, `make test` runs every test.
# Both create the virtual environment in .venv and install the project on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test demo bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(PY) -m bot demo

# the benchmarks (figures in the README); PostgreSQL too when TEST_POSTGRES_URL names a database they may wipe
bench: $(STAMP)
	$(PY) -m bench.notifications
	$(PY) -m bench.summary
	$(PY) -m bench.survey_answers
	$(PY) -m bench.updates
