# riskscreen: the README's Quick start uses `make demo` and `make test`; CI runs `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo region test lint bench sample model docs pictures clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# with the plots extra, so that `evaluate --plots` works after the Quick start
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[plots]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The weekly cycle on the sample school, in a workspace of its own (.demo/): last week's list, the actions
# written on it read back, two reports to DUO recorded (one in time, one after its deadline), then this week's list
# with all of that on it: page 1 shows reports due, late, reported and reported late.
DEMO := RISKSCREEN_HOME=.demo/workspace $(BIN)/riskscreen
demo: $(VENV)/.installed
	@rm -rf .demo
	@$(DEMO) sample .demo/exports --students 1000 --seed 2026 --weeks 2 2>/dev/null
	@$(DEMO) shortlist .demo/exports/week47 --output .demo/week47.xlsx
	@$(DEMO) actions import sample_data/cycle/week47-ingevuld.csv
	@$(DEMO) actions reported 126256 --on 2026-11-06
	@$(DEMO) actions reported 126618 --on 2026-11-20
	$(DEMO) shortlist sample_data/

# The municipality's picture of a sample region: three invented schools, a school year of weekly lists and actions
# each (about 35 seconds on two cores), every school's anonymous aggregate (.region/SCHOOL.json), and the region's
# report from those files alone.
region: $(VENV)/.installed
	@rm -rf .region
	@$(BIN)/riskscreen sample .region --schools 3 --weeks 44 --as-of 2027-07-09 --students 400 >/dev/null 2>&1
	@printf '%s\n' 04AB 05CD 06EF | xargs -P 2 -I SCHOOL \
		$(BIN)/riskscreen aggregate --workspace .region/workspaces --school SCHOOL -o .region/SCHOOL.json
	$(BIN)/riskscreen aggregate merge .region/04AB.json .region/05CD.json .region/06EF.json

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/writers.py
	$(BIN)/python benchmarks/analyst.py
	$(BIN)/python benchmarks/transparency.py
	$(BIN)/python benchmarks/region.py

sample: $(VENV)/.installed
	$(BIN)/riskscreen sample sample_data --students 1000 --seed 2026 --force
	$(BIN)/riskscreen sample sample_data/mbo --profile eduarte --students 300 --seed 2026 --force

model: $(VENV)/.installed
	$(BIN)/python -c 'from riskscreen import demo; print("wrote", demo.rebuild_demo_model())'

docs: $(VENV)/.installed
	$(BIN)/python -m riskscreen.signals.features_doc docs/features.md
	$(BIN)/python -c 'from pathlib import Path; from riskscreen.api.privacy import write_sample_papers; write_sample_papers(Path("docs/privacy"))'

# The pictures of the printed list in docs/images (needs pdftoppm, from Debian's poppler-utils): page 1 and 2
# of week 48 after `make demo`, so that they show the changes, open actions and reports of the cycle.
pictures: demo region
	RISKSCREEN_HOME=.demo/workspace $(BIN)/riskscreen shortlist sample_data/ --no-history -o .demo/week48.pdf
	pdftoppm -r 80 -png -f 1 -l 2 .demo/week48.pdf docs/images/shortlist-pdf-page
	$(BIN)/riskscreen aggregate merge .region/04AB.json .region/05CD.json .region/06EF.json -o .region/region.pdf
	pdftoppm -r 80 -png -f 1 -l 1 .region/region.pdf docs/images/region-pdf-page

clean:
	rm -rf $(VENV) build src/*.egg-info
