# ConsultSim: everything runs inside .venv, which `make install` builds (idempotently).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export SOLARA_ASSETS_PROXY_CACHE_DIR ?= $(CURDIR)/.cache/solara-assets

.PHONY: install demo test test-slow test-compat lint app bench clean

install: $(STAMP)
	$(BIN)/python -m consultsim.app.assets

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all]"
	touch $(STAMP)

# The study's three fronts and the combined package against the baseline: 5 scenarios x 30 runs
# x 104 weeks (one run takes a fraction of a second; about 15-30 s on two cores). Report:
# results/demo/report.html (the demo replaces its own earlier output: --force)
demo: install
	$(BIN)/consultsim compare baseline policy idea practice combined --replicates 30 --steps 104 \
		--seed 2026 --out results/demo --force

# The suite a developer runs (under 4 minutes on two cores); checks marked slow (long simulations,
# whole-district runs, calibration) run in `make test-slow`, which CI runs as well.
test: install
	$(BIN)/python -m pytest -m "not slow"

test-slow: install
	$(BIN)/python -m pytest -m slow

lint: install
	$(BIN)/ruff check .

# The whole suite again under Python 3.12 with the newest Mesa 3.x.
test-compat:
	@PY312=""; \
	for c in $$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | sort -r) $$(command -v python3.12); do \
	    if "$$c" -c "import sys" >/dev/null 2>&1; then PY312="$$c"; break; fi; \
	done; \
	if [ -z "$$PY312" ]; then echo "test-compat: skipped (no working python3.12 on this machine)"; exit 0; fi; \
	echo "test-compat: $$PY312"; \
	$(MAKE) --no-print-directory test PYTHON=$$PY312 VENV=.venv-py312 && \
	.venv-py312/bin/python -c "import mesa, sys; print('test-compat: Python', sys.version.split()[0], 'Mesa', mesa.__version__)"

# The classroom app on http://127.0.0.1:8765 (offline: assets come from .cache/solara-assets).
app: install
	$(BIN)/consultsim app

bench: install
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_kernels.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_app.py
	$(BIN)/python benchmarks/bench_district.py

clean:
	rm -rf $(VENV) .venv-py312 .pytest_cache .hypothesis results/demo
