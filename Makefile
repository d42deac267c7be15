# egov — the usual targets. `make run` and `make test` work on a fresh Debian 12 machine:
# they install what is missing (scripts/deps.sh), build, and run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DB         ?= sqlite:data/egov.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)

.PHONY: all deps build run test test-unit test-api test-pg test-asan test-http test-e2e \
        fuzz fuzz-smoke lint bench web clean

all: build

deps:
	@scripts/deps.sh build

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

web: deps
	@if [ -f web/package.json ]; then cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; fi

# Installs, builds, creates data/egov.db with the demo province and its service chain (pools,
# products, orders, three months of usage, bills, settlements) on first run, serves it. A demo
# that failed half-way leaves no store behind, so the next `make run` starts afresh.
run: build web
	@mkdir -p data
	@if [ ! -f data/egov.db ]; then $(BUILD)/egov demo --supply --db $(DB) || \
		{ rm -f data/egov.db data/egov.db-wal data/egov.db-shm; exit 1; }; fi
	@echo "Open http://$(LISTEN)/ and log in with one of the demo logins above (password Egov-Demo-2026)."
	@$(BUILD)/egov serve --db $(DB) --listen $(LISTEN) --web-root $(CURDIR)/web/dist

# Every suite: unit + API on SQLite, API on a throwaway PostgreSQL, the same under ASan+UBSan,
# fuzz smoke runs, the black-box suite against the real binary, and the browser suite.
test:
	@scripts/deps.sh test
	@scripts/test.sh

test-unit test-api: build
	@ctest --test-dir $(BUILD) --output-on-failure -L sqlite

test-pg: build
	@tests/with-pg.sh ctest --test-dir $(BUILD) --output-on-failure -L pg

fuzz:
	@scripts/deps.sh test
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-120} tests/fuzz/run.sh $(FUZZ_BUILD)

lint: build
	@scripts/lint.sh $(BUILD)

bench:
	@scripts/deps.sh bench
	@bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) web/dist
