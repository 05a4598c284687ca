# Linli: `make run` starts the platform, `make test` runs every test tier. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
TOOLS := node_modules/.installed
BENCH_TOOLS := .venv-bench/.installed

.PHONY: run test chaos chaos-cluster soak proto lock deploy-lock schemathesis-lock bench bench-lock token clean

run: $(READY)
	$(BIN)/linli run

# make test             every tier
# make test TIER=unit   one tier (unit, proto, contract, service, e2e, chaos, browser, deploy, ops)
test: $(READY) $(TOOLS)
	$(BIN)/linli test $(TIER)

# The fault suite (docs/reliability.md): every fault scenario under load (at least 1,000 operations each),
# then the overload test; prints the table (scenario, operations, lost, duplicated, recovery time, p99 of
# the calls for help during the fault). About 25 minutes on 2 cores; loopback only.
# ARGS='-s "workers SIGKILL + restart"' runs one scenario; ARGS=--list names them; ARGS='--min-operations 0'
# makes each scenario as short as its fault.
chaos: $(READY)
	PYTHONPATH=. $(BIN)/python -m tests.chaos.runner $(ARGS); scenarios=$$?; \
	PYTHONPATH=. $(BIN)/python -m pytest -p no:pytest_nameko -p no:cacheprovider -q -s tests/chaos/overload.py; \
	overload=$$?; test $$scenarios -eq 0 -a $$overload -eq 0

# The fault suite on three clustered RabbitMQ nodes with quorum queues: a node killed, the queue leaders'
# node killed, a node partitioned (frozen), a rolling restart; then an emergency behind 10,000 routine
# events. About 15 minutes; heavy (three Erlang VMs). Same ARGS as chaos.
chaos-cluster: $(READY)
	PYTHONPATH=. $(BIN)/python -m tests.chaos.runner --cluster $(ARGS)

# The district's busiest hour at 1x for 30 minutes with faults at seeded random times; memory, sockets and
# threads per process checked for an upward trend, every operation checked. Not part of `make test`.
# SOAK_MINUTES=3 for a short try; SOAK_SEED picks other fault times.
soak: $(READY)
	PYTHONPATH=. $(BIN)/python -m tests.chaos.soak

# Regenerate the Python code for proto/ after changing a .proto file.
proto: $(READY)
	$(BIN)/python -m linli.protogen

token: $(READY)
	@$(BIN)/linli token --role $(or $(ROLE),operator)

# Re-pin requirements.lock from requirements.in.
lock:
	rm -rf /tmp/linli-lock && $(PYTHON) -m venv /tmp/linli-lock
	/tmp/linli-lock/bin/pip install -q --upgrade pip && /tmp/linli-lock/bin/pip install -q -r requirements.in
	/tmp/linli-lock/bin/pip freeze --all | grep -v -E "^(pip)==" > requirements.lock

# Every Linli path next to its bare transport, one table (docs/performance.md). ARGS=--quick: 1-2 minutes.
bench: $(READY) $(BENCH_TOOLS)
	$(BIN)/python -m bench.run $(ARGS)

$(BENCH_TOOLS): requirements-bench.lock
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install -q --disable-pip-version-check -r requirements-bench.lock
	touch $@

# Re-pin requirements-bench.lock (locust, py-spy: the benchmarks' tools) from requirements-bench.in.
bench-lock:
	rm -rf /tmp/linli-bench-lock && $(PYTHON) -m venv /tmp/linli-bench-lock
	/tmp/linli-bench-lock/bin/pip install -q -r requirements-bench.in
	(echo "# Generated from requirements-bench.in by \`make bench-lock\` (pip freeze --all, less pip); Python 3.11."; \
	 /tmp/linli-bench-lock/bin/pip freeze --all | grep -v -E "^(pip)==") > requirements-bench.lock

# Re-pin requirements-schemathesis.lock (the API fuzzer of the e2e tier, in .venv-schemathesis).
schemathesis-lock:
	rm -rf /tmp/linli-schemathesis-lock && $(PYTHON) -m venv /tmp/linli-schemathesis-lock
	/tmp/linli-schemathesis-lock/bin/pip install -q -r requirements-schemathesis.in
	(echo "# Generated from requirements-schemathesis.in by \`make schemathesis-lock\` (pip freeze --all, less pip); Python 3.11."; \
	 /tmp/linli-schemathesis-lock/bin/pip freeze --all | grep -v -E "^(pip)==") > requirements-schemathesis.lock

# Re-pin requirements-deploy.lock (the deploy tier's tools) from requirements-deploy.in.
deploy-lock:
	rm -rf /tmp/linli-deploy-lock && $(PYTHON) -m venv /tmp/linli-deploy-lock
	/tmp/linli-deploy-lock/bin/pip install -q -r requirements-deploy.in
	(echo "# Generated from requirements-deploy.in by \`make deploy-lock\` (pip freeze --all, less pip); Python 3.11."; \
	 /tmp/linli-deploy-lock/bin/pip freeze --all | grep -v -E "^(pip)==") > requirements-deploy.lock

$(READY): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
	  { echo "Linli needs Python 3.11 or newer as '$(PYTHON)' (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# npm (for buf) is apt-installed when missing and run as root; otherwise the one command to run is printed.
$(TOOLS): package.json package-lock.json | $(READY)
	@command -v npm >/dev/null || $(BIN)/python -m linli_dev.packages npm
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) .venv-deploy .venv-bench .venv-schemathesis node_modules var
