# Strata's front door. `make run` and `make test` are all a new machine needs.
#
#   make run          install deps, build release, run the self-demonstration on ./strata-data
#   make test         install deps, build release, run the whole suite through ctest
#   make build        build the release preset (build/release/strata)
#   make bench        benchmarks against their anchors (bench/compare/: WAL and engine vs
#                     RocksDB's db_bench, Parquet vs DuckDB, RDB dump vs redis-check-rdb,
#                     the report on a batch of 100 million keys)
#   make torture      long crash, model and fuzz runs (fuzz preset, clang + libFuzzer)
#   make asan / tsan  the suite under AddressSanitizer+UBSan / ThreadSanitizer
#   make format / format-check
SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test bench torture asan tsan debug format format-check clean

all: build

deps:
	@./scripts/install-deps.sh

# Build a preset: configure on first use, then ninja.
define build_preset
	@cmake --preset $(1) >/dev/null
	@cmake --build --preset $(1) -j $(JOBS)
endef

build: deps
	$(call build_preset,release)

run: build
	./build/release/strata demo --dir ./strata-data

# ctest's own summary, then scripts/ctest_summary.py: each skipped test with its reason and one
# plain line "N passed, N failed, N skipped", read from ctest's JUnit file (which holds every
# skipped test's output) and checked against ctest's own totals. The exit status is ctest's.
define run_suite
	@set -o pipefail; rm -f build/$(1)/ctest-junit.xml; \
	  ctest --preset $(1) $(2) --output-junit $(CURDIR)/build/$(1)/ctest-junit.xml 2>&1 \
	    | tee build/$(1)/ctest.log; rc=$$?; \
	  python3 scripts/ctest_summary.py --label $(1) --junit build/$(1)/ctest-junit.xml \
	    --log build/$(1)/ctest.log; exit $$rc
endef

test: build
	$(call run_suite,release,)

debug: deps
	$(call build_preset,debug)
	$(call run_suite,debug,)

asan: deps
	$(call build_preset,asan)
	$(call run_suite,asan,)

tsan: deps
	$(call build_preset,tsan)
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" $(MAKE) --no-print-directory _tsan_suite

_tsan_suite:
	$(call run_suite,tsan,)

bench: build
	./bench/compare/wal_vs_rocksdb.sh
	./bench/compare/vs_rocksdb.sh
	./bench/compare/parquet_vs_duckdb.sh
	./bench/compare/rdb_vs_redis_check.sh
	./bench/compare/report_at_scale.sh
	./bench/compare/objstore_vs_awscli.sh

torture: build
	$(call build_preset,fuzz)
	@STRATA_TORTURE=1 $(MAKE) --no-print-directory _torture_suite
	./fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

_torture_suite:
	$(call run_suite,release,--timeout 3600)

CLANG_FORMAT ?= clang-format
FORMAT_FILES = $(shell git ls-files '*.h' '*.cc')

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_FILES)
	@echo "format-check: clean"

clean:
	rm -rf build
