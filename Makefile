# Thin targets over pnpm and buf. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The toolchain lives in .tools/, installed by npm from the registry: the pnpm pinned in package.json
# (packageManager) and the Node.js pinned in .node-version, the one the images ship. Every target runs
# with .tools/node_modules/.bin first on PATH, so a global pnpm or the host's own Node is never used.
PNPM_VERSION := $(shell sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)
NODE_VERSION := $(shell cat .node-version)
TOOLS := $(CURDIR)/.tools
TOOLS_STAMP := $(TOOLS)/installed-node-$(NODE_VERSION)-pnpm-$(PNPM_VERSION)
export PATH := $(TOOLS)/node_modules/.bin:$(PATH)
PNPM := $(TOOLS)/node_modules/.bin/pnpm
BUF := node_modules/.bin/buf
TAG ?= dev

.PHONY: k8s-checksums certs up-mtls down-mtls bench-mtls bench-layers tools test-fresh soak audit bench images up down e2e screenshot help system-deps install generate lint typecheck build test unit check-generated breaking run dev clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(TOOLS_STAMP):
	scripts/install-tools.sh $(TOOLS) $(NODE_VERSION) $(PNPM_VERSION)
	@touch $@

tools: $(TOOLS_STAMP) ## Install the pinned Node.js and pnpm into .tools/ (npm only, nothing global)

system-deps: ## Debian packages the tests use (Python gRPC for the interop test), installed when missing
	scripts/install-system-deps.sh

install: $(TOOLS_STAMP) ## Install dependencies from the frozen lockfile (and the pinned pnpm)
	$(PNPM) install --frozen-lockfile

generate: install ## Regenerate packages/contracts/src/gen from proto/ with buf + ts-proto
	$(BUF) generate
	node scripts/embed-descriptor-set.js

lint: install ## buf lint on the contract, eslint on the TypeScript
	$(BUF) lint
	$(PNPM) exec eslint .
	$(PNPM) exec prettier --check '**/*.{ts,js,mjs}'

typecheck: install ## tsc in every package, sources and tests (project references: tsc -b builds what a package imports)
	$(PNPM) -r typecheck

build: install ## Compile every package to dist/
	$(PNPM) -r build

check-generated: install ## Fail when regenerating would change committed code
	scripts/check-generated.sh

breaking: install ## buf breaking against main (or the previous commit on main)
	scripts/check-breaking.sh

unit: build ## In-process jest suites only (no system-tests, browser, fuzz, redis, Python, buf, built CLI): 1-1.5 min
	$(PNPM) run test:unit

test: system-deps install lint build typecheck check-generated breaking ## Every check, then every jest suite
	$(PNPM) test

test-fresh: ## make test and make run on a fresh clone of HEAD in a new container of the images' Node (needs Docker)
	scripts/test-fresh.sh

soak: build ## 10 minutes at 100 pages/s: RSS and event-loop delay each minute (make test runs 60 s)
	cd packages/system-tests && SOAK_SECONDS=600 $(PNPM) exec jest test/soak.test.ts --verbose=false

audit: install ## pnpm audit --audit-level high (needs a registry that serves the npm advisories endpoint)
	$(PNPM) audit --audit-level high

bench: build ## Benchmarks beside bare ceilings (needs h2load, wrk); prints a table, writes bench/results/latest.json and the README's figures; then personalisation and import
	scripts/install-system-deps.sh nghttp2-client wrk
	node bench/run.js
	node scripts/readme-figures.js
	node bench/personalisation.js
	node bench/import.js

bench-mtls: build ## Homepage pages/s with plaintext and with mutual TLS between the services (needs wrk)
	scripts/install-system-deps.sh wrk
	node bench/mtls.js

bench-refusals: build ## Recommends refused by the server's HTTP/2 layer at 32 in flight, hedged, with the shipped retry codes and the ones before (~1 min)
	node bench/stream-refusals.js

bench-layers: build ## Layer-cost tables: CPU µs per call from the bare server to production, one layer per row (needs h2load, wrk; ~15 min)
	scripts/install-system-deps.sh nghttp2-client wrk
	node bench/layers.js recommend
	node bench/layers.js homepage

images: ## Build bookstore/recommendations:$(TAG) and bookstore/marketplace:$(TAG) (legacy builder)
	scripts/ensure-docker.sh
	docker build --build-arg PNPM_VERSION=$(PNPM_VERSION) -f Dockerfile.recommendations -t bookstore/recommendations:$(TAG) .
	docker build --build-arg PNPM_VERSION=$(PNPM_VERSION) -f Dockerfile.marketplace -t bookstore/marketplace:$(TAG) .

up: images ## Run the local stack: 3 recommendations replicas, the marketplace on :5000
	scripts/ensure-docker.sh --compose
	TAG=$(TAG) docker-compose -p bookstore up -d --no-build --scale recommendations=3

down: ## Stop the local stack
	scripts/ensure-docker.sh --compose
	docker-compose -p bookstore down -v --remove-orphans

up-mtls: images ## The local stack with mutual TLS between the services (compose.mtls.yaml, certificates from make certs)
	@node scripts/certs-current.js certs || $(MAKE) certs
	scripts/ensure-docker.sh --compose
	TAG=$(TAG) docker-compose -p bookstore -f compose.yaml -f compose.mtls.yaml up -d --no-build --scale recommendations=3

down-mtls: ## Stop the mutual TLS stack
	scripts/ensure-docker.sh --compose
	docker-compose -p bookstore -f compose.yaml -f compose.mtls.yaml down -v --remove-orphans

e2e: build ## Images + compose stack with 3 replicas + checks through :5000, torn down after; then the same with mutual TLS
	TAG=$(TAG) scripts/e2e.sh

screenshot: system-deps build ## Refresh docs/screenshots/homepage.png from the browser test
	cd packages/marketplace && SCREENSHOT=1 $(PNPM) exec jest test/browser -t homepage

run: build ## Install, build and start both services; the homepage is at http://localhost:5000 (TLS=mtls: mutual TLS)
	@if [ -n "$(TLS)" ] && ! node scripts/certs-current.js certs; then node scripts/make-certs.js certs; fi
	TLS=$(TLS) node scripts/run-local.js

certs: install ## Development CA, Recommendations server and Marketplace client certificates into certs/ (ignored)
	$(PNPM) --filter @bookstore/dev-certificates build
	node scripts/make-certs.js certs

dev: build ## Both services in watch mode: src/ or views/ change → rebuild + restart; proto/ → make generate
	node scripts/dev.js

k8s-checksums: install ## After a ConfigMap change in k8s/: update each pod template's checksum/config annotation (so the pods roll)
	node packages/deploy-checks/update-config-checksums.mjs

clean: ## Remove build output and installed dependencies
	rm -rf packages/*/dist packages/*/*.tsbuildinfo node_modules packages/*/node_modules $(TOOLS)
