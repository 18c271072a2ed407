# redis_enterprise.software: every gate, the demo and the benchmarks start here.
#   make demo    set everything up, start a simulated cluster, provision databases with the role
#   make test    run every gate (lint, docs, changelog, sanity, units, simulator, integration, molecule, ...)
#   make bench   the full benchmark (tests/benchmark/); `make test` runs only its smoke version

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= $(CURDIR)/.venv
VENV216 ?= $(CURDIR)/.venv-2.16
BIN := $(VENV)/bin
BIN216 := $(VENV216)/bin
BUILD := $(CURDIR)/.build
# ansible-test must not find this repository's .git above the copy, so the copy lives outside it.
COLLROOT := $(or $(TMPDIR),/tmp)/rs-collection-$(shell printf %s '$(CURDIR)' | cksum | cut -d' ' -f1)
COLL := $(COLLROOT)/ansible_collections/redis_enterprise/software
SIMS := $(BUILD)/sims
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLROOT)
export ANSIBLE_NOCOLOR := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv bootstrap copy test lint docs-lint changelog-lint sanity units units-2.16 simulator-tests \
        integration integration-2.16 e2e molecule reliability bench bench-smoke complexity demo demo-stop clean

help:
	@echo "make demo     start a simulated cluster and provision databases through the role"
	@echo "make test     run every gate (what CI runs)"
	@echo "make bench    run the full benchmark"
	@echo "make complexity  size and cyclomatic complexity of each plugin file (TOP=5 blocks each)"
	@echo "make clean    remove virtualenvs and build output"

# ---------------------------------------------------------------- environment
$(VENV)/.stamp: requirements/dev.txt requirements/constraints.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements/dev.txt -c requirements/constraints.txt
	touch $@

$(VENV216)/.stamp: requirements/core-2.16.txt
	rm -rf $(VENV216)
	$(PYTHON) -m venv $(VENV216)
	$(BIN216)/pip install -q -r requirements/core-2.16.txt
	touch $@

venv: $(VENV)/.stamp $(VENV216)/.stamp

# ansible-test downloads a pip bootstrap script that is unreachable here: put the offline stand-in
# where ansible-test looks for its cached copy, for every ansible-core we run.
bootstrap: venv
	@for py in $(BIN)/python $(BIN216)/python; do \
	  ver=$$($$py -c "import re, ansible_test, os; src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read(); print(re.search(r\"pip='([0-9.]+)'\", src).group(1).replace('.', '_'))"); \
	  mkdir -p $(HOME)/.ansible/test/cache; \
	  cp tests/utils/get_pip_standin.py $(HOME)/.ansible/test/cache/get_pip_$$ver.py; \
	done

# ansible-test needs a real (not symlinked) ansible_collections/redis_enterprise/software tree.
copy:
	@rm -rf $(COLLROOT)
	@mkdir -p $(COLL)
	@git ls-files -z -co --exclude-standard | $(PYTHON) -c "import os, shutil, sys; \
	  [ (os.makedirs(os.path.dirname(os.path.join(sys.argv[1], p)) or '.', exist_ok=True), shutil.copy2(p, os.path.join(sys.argv[1], p))) \
	    for p in sys.stdin.read().split('\0') if p and os.path.isfile(p) ]" $(COLL)

# ---------------------------------------------------------------- gates
test: venv bootstrap
	@$(BIN)/python tests/utils/gates.py

lint: copy
	ansible-lint --offline

docs-lint: copy
	cd $(COLL) && antsibull-docs lint-collection-docs --plugin-docs .

changelog-lint:
	antsibull-changelog lint

sanity: copy
	cd $(COLL) && ansible-test sanity --local --python 3.11 --color no

units: copy
	cd $(COLL) && ansible-test units --local --python 3.11 --color no

units-2.16: copy
	cd $(COLL) && PATH=$(BIN216):$$PATH $(BIN216)/ansible-test units --local --python 3.11 --color no

simulator-tests:
	PYTHONPATH=tests/simulator pytest tests/simulator/tests -q -p no:cacheprovider

# Integration targets run against two simulated clusters: one with /v2/actions, one without (RS < 7.22).
define run_integration
	@trap '$(BIN)/python tests/utils/simctl.py stop $(SIMS)/it-v2 >/dev/null; $(BIN)/python tests/utils/simctl.py stop $(SIMS)/it-v1 >/dev/null' EXIT; \
	v2=$$($(BIN)/python tests/utils/simctl.py start $(SIMS)/it-v2 --speed 20); \
	v1=$$($(BIN)/python tests/utils/simctl.py start $(SIMS)/it-v1 --speed 20 -- --no-v2); \
	printf '%s\n' "---" "rs_url: $$v2" "rs_url_v1: $$v1" "rs_ca_path: $(SIMS)/it-v2/ca.pem" "rs_ca_path_v1: $(SIMS)/it-v1/ca.pem" \
	  "rs_username: admin@example.com" "rs_password: sim-S3cret-pw" > $(COLL)/tests/integration/integration_config.yml; \
	cd $(COLL) && PATH=$(1):$$PATH $(1)/ansible-test integration --local --python 3.11 --color no
endef

integration: copy
	$(call run_integration,$(BIN))

integration-2.16: copy
	$(call run_integration,$(BIN216))

e2e: copy
	pytest tests/e2e -q -p no:cacheprovider

molecule: copy
	molecule test --all

reliability: copy
	$(BIN)/python tests/reliability/run_matrix.py

bench-smoke: copy
	$(BIN)/python tests/benchmark/run.py --smoke

bench: venv copy
	$(BIN)/python tests/benchmark/run.py

# Size and cyclomatic complexity of each plugin file and of its largest classes and functions (not a gate).
complexity:
	@$(BIN)/radon cc -j plugins | $(BIN)/python tests/utils/complexity.py --top $(or $(TOP),5)

# ---------------------------------------------------------------- demo
demo: $(VENV)/.stamp
	@$(BIN)/python tests/utils/demo.py

demo-stop:
	@$(BIN)/python tests/utils/simctl.py stop .demo/sim

clean:
	rm -rf $(VENV) $(VENV216) $(BUILD) $(COLLROOT) .demo
