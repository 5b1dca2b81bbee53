# GFMS — the commands a developer needs. Every target installs what is missing first
# (scripts/setup.sh is idempotent and quick when everything is there).
SHELL := /bin/bash
.DEFAULT_GOAL := help
RELAY ?= a

.PHONY: help setup dev test soak bench build cli relay web lint fmt deploy deploy-dry-run deploy-app relays-stop clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

setup: ## install every tool the project needs (Rust targets, wasm tools, npm packages, browsers)
	@bash scripts/setup.sh

dev: ## three local relays on 127.0.0.1:8787-8789 + the app on 127.0.0.1:5173 (Ctrl-C stops all)
	@bash scripts/dev.sh

test: ## install what is missing, then run every test layer
	@bash scripts/test.sh

soak: ## the simulated-relay property test with many schedules (PROPTEST_CASES, default 20000)
	@bash scripts/soak.sh

bench: ## benchmarks; results are written to docs/benchmarks.md
	@bash scripts/bench.sh

relay: setup ## build the relay worker (worker-build) into relay-worker/build/
	@bash scripts/build-relay.sh

web: setup ## build the wasm client and the PWA into web/dist/
	@bash scripts/build-web.sh

cli: ## build the gfms command-line client into target/debug/gfms (release: target/release/gfms)
	@cargo build -p client-wasm --features cli --bin gfms
	@echo "built target/debug/gfms; try: target/debug/gfms --help"

build: relay web cli ## build everything

lint: ## rustfmt, clippy (native and wasm), TypeScript strict
	@bash scripts/lint.sh

fmt: ## format the Rust code
	@cargo fmt --all

deploy: setup ## deploy one relay to its own Cloudflare account: make deploy RELAY=a
	@source scripts/env.sh && npx wrangler deploy --env relay-$(RELAY)

deploy-dry-run: setup ## check that relay RELAY would deploy (no account needed)
	@source scripts/env.sh && npx wrangler deploy --dry-run --outdir build/deploy-$(RELAY) --env relay-$(RELAY)

deploy-app: setup ## publish the app to Cloudflare Pages: make deploy-app RELAYS=https://…,https://…,https://… [PROJECT=gfms] [DRY_RUN=1]
	@bash scripts/deploy-app.sh

relays-stop: ## stop local relays left running by an interrupted run
	@bash scripts/relays.sh stop --dir .relays

clean: ## remove build outputs and local relay state
	rm -rf target relay-worker/build web/dist web/src/wasm build .relays
