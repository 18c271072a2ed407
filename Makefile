# redis_enterprise.software: every gate, the demo and the benchmarks start here.
#   make demo    set everything up, start a simulated cluster, provision databases with the role
#   make test    run every gate (lint, docs, changelog, sanity, units, simulator, integration, examples, molecule, ...)
#   make docs    build the HTML documentation site (antsibull-docs + Sphinx) into .build/docs/build/html
#   make bench   the full benchmark (tests/benchmark/); `make test` runs only its smoke version

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Two lines of ansible-core are tested (README "Supported versions"):
#   VENV     the newest ansible-core the package index serves (requirements/dev.txt), on Python 3.13 (or 3.12):
#            every gate runs on it.
#   VENV216  the oldest ansible-core meta/runtime.yml claims (requirements/core-2.16.txt), on Python 3.11 (3.10, 3.12):
#            units, integration and the examples run on it too.
#   VENV219  a user's first contact: ansible-core 2.19 and requests only (requirements/core-2.19.txt), on Python 3.12
#            (3.13, 3.11): the examples run on it too (`make examples-2.19`).
# A VENV, VENV216 or VENV219 given on the command line is used as it is: never rebuilt, never deleted.
VENV ?= $(CURDIR)/.venv
VENV216 ?= $(CURDIR)/.venv-2.16
VENV219 ?= $(CURDIR)/.venv-2.19
BIN := $(VENV)/bin
BIN216 := $(VENV216)/bin
BIN219 := $(VENV219)/bin
BUILD := $(CURDIR)/.build
# Any Python 3 for the small helpers that run before a virtualenv exists.
HOST_PYTHON ?= python3
# `find_python versions,candidates` (both space-separated): the first candidate that runs and is one of the versions (pyenv shims of a
# version that is not active fail, so each one is tried, not only looked up).
PYENV_ROOT ?= $(or $(shell pyenv root 2>/dev/null),$(HOME)/.pyenv)
find_python = $(firstword $(foreach p,$(2),$(shell $(p) -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] not in "$(1)".split())' >/dev/null 2>&1 && echo $(p))))
PYTHON_NEW ?= $(call find_python,3.13 3.12,python3.13 python3.12 $(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python3.13 $(PYENV_ROOT)/versions/3.12*/bin/python3.12))
PYTHON_216 ?= $(call find_python,3.11 3.12 3.10,python3.11 python3.12 python3.10 $(wildcard $(PYENV_ROOT)/versions/3.11*/bin/python3.11 $(PYENV_ROOT)/versions/3.12*/bin/python3.12 $(PYENV_ROOT)/versions/3.10*/bin/python3.10))
PYTHON_219 ?= $(call find_python,3.12 3.13 3.11,python3.12 $(wildcard $(PYENV_ROOT)/versions/3.12*/bin/python3.12) python3.13 $(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python3.13) python3.11 $(wildcard $(PYENV_ROOT)/versions/3.11*/bin/python3.11))
# The Python version of each virtualenv, for ansible-test --python.
PYVER = $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
PYVER216 = $(shell $(BIN216)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# ansible-test must not find this repository's .git above the copy, so the copy lives outside it.
COLLROOT := $(or $(TMPDIR),/tmp)/rs-collection-$(shell printf %s '$(CURDIR)' | cksum | cut -d' ' -f1)
COLL := $(COLLROOT)/ansible_collections/redis_enterprise/software
SIMS := $(BUILD)/sims
# The largest collection artifact `make artifact` accepts (bytes). A clean build is about 345 KB (with the tests and
# the simulator, which users run in their own Molecule scenarios); the limit catches a demo or a venv packed by mistake.
ARTIFACT_MAX_BYTES := 400000
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLROOT)
export ANSIBLE_NOCOLOR := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv bootstrap copy versions test lint docs-lint changelog-lint changelog-preview sanity units units-2.16 simulator-tests \
        tooling-tests integration integration-2.16 examples examples-2.16 examples-2.19 artifact ee docs e2e molecule reliability bench bench-smoke complexity \
        demo demo-stop clean

help:
	@echo "make demo     start a simulated cluster and provision databases through the role"
	@echo "make test     run every gate (what CI runs)"
	@echo "make docs     build the HTML documentation site into .build/docs/build/html"
	@echo "make bench    run the full benchmark"
	@echo "make complexity  size and cyclomatic complexity of each plugin file (TOP=5 blocks each)"
	@echo "make clean    remove virtualenvs and build output"

# ---------------------------------------------------------------- environment
# `pip_install VENV,ARGS`: install the pinned requirements into VENV with uv (pip's interface, parallel downloads: about
# 20 s for requirements/dev.txt where pip takes about 3 minutes), or with pip when uv cannot be installed or fails.
# UV_NATIVE_TLS: uv trusts the system's CA store, as pip does.
UV_VERSION := 0.13.9
define pip_install
	@if $(1)/bin/pip install -q uv==$(UV_VERSION) >/dev/null 2>&1 && \
	  UV_NATIVE_TLS=1 $(1)/bin/uv pip install -q --python $(1)/bin/python $(2); then \
	  echo "$(1): installed with uv $(UV_VERSION)"; \
	else \
	  echo "$(1): installing with pip"; $(1)/bin/pip install -q $(2); \
	fi
endef

# What each virtualenv needs when no suitable Python is found (its error message).
NO_PYTHON_NEW := No Python 3.13 or 3.12 found (tried python3.13, python3.12 and $(PYENV_ROOT)/versions/3.1[23]*). \
  The newest ansible-core needs Python >= 3.12: install one (e.g. 'pyenv install 3.13') or pass PYTHON_NEW=/path/to/python3.13.
NO_PYTHON_216 := No Python 3.11, 3.12 or 3.10 found for ansible-core 2.16 (tried python3.11, python3.12, python3.10 and \
  $(PYENV_ROOT)/versions/). Install one (e.g. 'pyenv install 3.11') or pass PYTHON_216=/path/to/python3.11.
NO_PYTHON_219 := No Python 3.12, 3.13 or 3.11 found for ansible-core 2.19 (tried python3.12, python3.13, python3.11 and \
  $(PYENV_ROOT)/versions/). Install one (e.g. 'pyenv install 3.12') or pass PYTHON_219=/path/to/python3.12.

# $(call venv_rule,VAR,PYTHON_VAR,MESSAGE_VAR,PREREQUISITES,PIP_ARGS): the rule that builds the virtualenv $(VAR)
# with $(PYTHON_VAR); a VAR given on the command line is used as it is.
define venv_rule
ifeq ($$(origin $(1)),command line)
$$($(1))/.stamp:
	@test -f $$@ || { echo "$(1)=$$($(1)) has no .stamp: it is used as given and never built here" >&2; exit 1; }
else
$$($(1))/.stamp: $(4)
	@test -n "$$($(2))" || { echo "$$($(3))" >&2; exit 1; }
	rm -rf $$($(1))
	$$($(2)) -m venv $$($(1))
	$$(call pip_install,$$($(1)),$(5))
	touch $$@
endif
endef
$(eval $(call venv_rule,VENV,PYTHON_NEW,NO_PYTHON_NEW,requirements/dev.txt requirements/constraints.txt,-r requirements/dev.txt -c requirements/constraints.txt))
$(eval $(call venv_rule,VENV216,PYTHON_216,NO_PYTHON_216,requirements/core-2.16.txt,-r requirements/core-2.16.txt))
$(eval $(call venv_rule,VENV219,PYTHON_219,NO_PYTHON_219,requirements/core-2.19.txt,-r requirements/core-2.19.txt))

venv: $(VENV)/.stamp $(VENV216)/.stamp $(VENV219)/.stamp

# ansible-test downloads a pip bootstrap script that is unreachable here: put the offline stand-in
# where ansible-test looks for its cached copy, for every ansible-core we run.
bootstrap: venv
	@for py in $(BIN)/python $(BIN216)/python; do \
	  ver=$$($$py -c "import re, ansible_test, os; src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read(); print(re.search(r\"pip='([0-9.]+)'\", src).group(1).replace('.', '_'))"); \
	  mkdir -p $(HOME)/.ansible/test/cache; \
	  cp tests/utils/get_pip_standin.py $(HOME)/.ansible/test/cache/get_pip_$$ver.py; \
	done

# ansible-test needs a real (not symlinked) ansible_collections/redis_enterprise/software tree. `make test` makes it once
# and runs the gates with RS_COPY_READY=1, several at a time: then no gate rebuilds it under another.
ifneq ($(RS_COPY_READY),)
copy:
	@test -d $(COLL) || { echo "RS_COPY_READY is set but $(COLL) does not exist: run 'make copy'" >&2; exit 1; }
else
copy:
	@rm -rf $(COLLROOT)
	@mkdir -p $(COLL)
	@git ls-files -z -co --exclude-standard | $(HOST_PYTHON) -c "import os, shutil, sys; \
	  [ (os.makedirs(os.path.dirname(os.path.join(sys.argv[1], p)) or '.', exist_ok=True), shutil.copy2(p, os.path.join(sys.argv[1], p))) \
	    for p in sys.stdin.read().split('\0') if p and os.path.isfile(p) ]" $(COLL)
endif

# ---------------------------------------------------------------- gates
versions: venv
	@echo "VENV    $(VENV): ansible-core $$($(BIN)/python -c 'import ansible; print(ansible.__version__)'), Python $(PYVER)"
	@echo "VENV216 $(VENV216): ansible-core $$($(BIN216)/python -c 'import ansible; print(ansible.__version__)'), Python $(PYVER216)"
	@echo "VENV219 $(VENV219): ansible-core $$($(BIN219)/python -c 'import ansible; print(ansible.__version__)'), Python $$($(BIN219)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

# Both virtualenvs are built side by side, then the gates run several at a time (tests/utils/gates.py).
test:
	@$(MAKE) --no-print-directory -j2 venv
	@$(MAKE) --no-print-directory bootstrap
	@$(BIN)/python tests/utils/gates.py

lint: copy
	ansible-lint --offline

docs-lint: copy
	cd $(COLL) && antsibull-docs lint-collection-docs --plugin-docs .

changelog-lint:
	antsibull-changelog lint

# What `antsibull-changelog release` would write for galaxy.yml's version, in the scratch copy (the tree is untouched).
changelog-preview: copy
	cd $(COLL) && antsibull-changelog release --version $$(sed -n 's/^version: *//p' galaxy.yml) && cat CHANGELOG.rst

sanity: copy
	cd $(COLL) && ansible-test sanity --local --python $(PYVER) --color no

units: copy
	cd $(COLL) && ansible-test units --local --python $(PYVER) --color no

units-2.16: copy
	cd $(COLL) && PATH=$(BIN216):$$PATH $(BIN216)/ansible-test units --local --python $(PYVER216) --color no

# The tooling of the gates themselves: example extraction and rewriting, the artifact check.
tooling-tests:
	$(BIN)/python -m pytest tests/utils/tests -q -p no:cacheprovider

# Each test starts its own simulator and mostly waits on it: three at a time (pytest-xdist).
simulator-tests:
	PYTHONPATH=tests/simulator pytest tests/simulator/tests -q -p no:cacheprovider -n 3

# Integration targets run against one simulated cluster per RS version profile (docs/rs-behaviour.md): every
# profile on the newest ansible-core, `latest` and `7.4.0` (no /v2, no /v1/actions/bdb) on the oldest.
# tests/utils/itsims.py runs ansible-test once per profile, in its own copy of the collection, IT_JOBS at a time;
# IT_ARGS go to ansible-test (target names, --continue-on-error, -v, ...), e.g.
#   make integration RS_PROFILES=8.0.2 IT_ARGS='rs_database --continue-on-error'
RS_PROFILES ?= latest 7.4.0 7.8 7.22 8.0.2 8.0.16 8.2.0
RS_PROFILES_216 ?= latest 7.4.0
IT_JOBS ?= 8
IT_ARGS ?=
# The slowest profile, 8.0.2 (every wait on a creation checks the database after 10 s at 100 %), runs these targets
# against a second simulator beside its others (itsims.py --split): 190 s and 180 s instead of 370 s, measured alone.
IT_SPLIT ?= 8.0.2=rs_database_action,rs_fidelity,rs_action_info,rs_database_info,rs_node_action
# Each line has its own simulators (SIMS_DIR), so that both lines can run at once.
define run_integration
	@trap '$(BIN)/python tests/utils/itsims.py stop $(4) >/dev/null' EXIT; \
	$(BIN)/python tests/utils/itsims.py run $(4) $(COLL) --bin $(1) --python $(2) --jobs $(IT_JOBS) \
	  $(foreach split,$(IT_SPLIT),--split $(split)) $(3) -- $(IT_ARGS)
endef

integration: copy
	$(call run_integration,$(BIN),$(PYVER),$(RS_PROFILES),$(SIMS))

integration-2.16: copy
	$(call run_integration,$(BIN216),$(PYVER216),$(RS_PROFILES_216),$(SIMS)-2.16)

# Every YAML example of README.md, roles/rs_provision/README.md and the modules' EXAMPLES, against the simulator,
# with --check and normally (tests/utils/EXAMPLES.md); the newest line also lints them (production profile).
examples: copy
	$(BIN)/python tests/utils/examples.py run --bin $(BIN) --lint --work $(BUILD)/examples

examples-2.16: copy
	$(BIN)/python tests/utils/examples.py run --bin $(BIN216) --work $(BUILD)/examples-2.16

# As a new user runs them: ansible-core 2.19 and requests, nothing else installed.
examples-2.19: copy $(VENV219)/.stamp
	$(BIN)/python tests/utils/examples.py run --bin $(BIN219) --work $(BUILD)/examples-2.19

# After `make demo`, the artifact holds no key, .pem, log, results file or nested ansible_collections, and is at most
# ARTIFACT_MAX_BYTES (galaxy.yml's build_ignore). It is built by the oldest ansible-core, which has no `distlib`: so
# a build, or an install from git, works with nothing but ansible-core (a `manifest` in galaxy.yml would need distlib).
artifact: $(VENV)/.stamp $(VENV216)/.stamp
	$(BIN)/python tests/utils/artifact.py --max-bytes $(ARTIFACT_MAX_BYTES) --galaxy $(BIN216)/ansible-galaxy \
	  --output $(BUILD)/artifact

# The sample execution environment of the README (docs/execution-environment.yml): ansible-builder accepts it, and
# finds the collection's Python requirements through its meta/execution-environment.yml (no container engine needed).
ee: copy
	@rm -rf $(BUILD)/ee
	ansible-builder create -f docs/execution-environment.yml -c $(BUILD)/ee
	$(BIN)/python tests/utils/examples.py ee-sample docs/execution-environment.yml
	ansible-builder introspect $(COLLROOT) | tee $(BUILD)/ee-introspect.txt
	@grep -q "requests.*from collection redis_enterprise.software" $(BUILD)/ee-introspect.txt || \
	  { echo "ansible-builder does not see the collection's requirement on requests" >&2; exit 1; }
	@echo "ee: 1 passed, 0 failed"

# The HTML documentation site (antsibull-docs + Sphinx, everything from requirements/dev.txt), offline: no intersphinx
# inventories are fetched, so links to labels of docs.ansible.com stay plain text instead of failing the build.
DOCS := $(BUILD)/docs
docs: copy
	@rm -rf $(DOCS) && mkdir -p $(DOCS)
	antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir $(DOCS) \
	  --project redis_enterprise.software --title "Redis Enterprise Software collection" redis_enterprise.software
	@printf '%s\n' '' '# `make docs` builds offline: no intersphinx inventories, so labels of docs.ansible.com cannot resolve.' \
	  'intersphinx_mapping = {}' "suppress_warnings = ['ref.ref']" >> $(DOCS)/conf.py
	$(DOCS)/build.sh
	@echo "docs: $(DOCS)/build/html/index.html"

e2e: copy
	pytest tests/e2e -q -p no:cacheprovider -n 3

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
	rm -rf $(VENV) $(VENV216) $(VENV219) $(BUILD) $(COLLROOT) .demo
