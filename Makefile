# kling-video: every target installs node_modules from package-lock.json first when it is
# missing or stale, so `make serve` and `make test` work on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BIN := node_modules/.bin
INSTALLED := node_modules/.installed
SPEC_SOURCES := $(shell find openapi -name '*.yaml')
SDK_SOURCES := $(shell find src -name '*.ts')
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: help install lint bundle generate check-generated typecheck docs serve test build bench fuzz conformance clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed -E 's/:.*## /\t/' | expand -t 18

$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(INSTALLED) ## install node_modules from package-lock.json (npm ci)

lint: $(INSTALLED) ## lint the spec with Redocly (zero errors, zero warnings)
	@out=$$($(BIN)/redocly lint openapi/openapi.yaml --max-problems 1000 2>&1); status=$$?; \
	  echo "$$out" | grep -v '[║╔╚]'; \
	  if [ $$status -ne 0 ] || echo "$$out" | grep -qE 'You have [0-9]+ warnings?'; then \
	    echo "make lint: the spec must have zero errors and zero warnings"; exit 1; fi

generated/openapi.yaml: $(INSTALLED) $(SPEC_SOURCES) redocly.yaml
	$(BIN)/redocly bundle openapi/openapi.yaml -o $@

bundle: generated/openapi.yaml ## bundle the split spec into generated/openapi.yaml

generate: bundle ## bundle, then generate types and the request validator into generated/
	$(BIN)/openapi-typescript generated/openapi.yaml -o generated/schema.d.ts \
	  --default-non-nullable false -c scripts/openapi-typescript.redocly.yaml
	node scripts/generate-validator.mjs generated/openapi.yaml generated/validate-request.js
	node scripts/embed-sample-video.mjs assets/sample.mp4 generated/sample-video.js

check-generated: $(INSTALLED) ## regenerate from scratch and fail if generated/ differs from git
	rm -f generated/openapi.yaml
	$(MAKE) --no-print-directory generate
	@git diff --exit-code --stat -- generated/ && test -z "$$(git status --porcelain -- generated/)" \
	  || { echo "generated/ is out of step with openapi/: run 'make generate' and commit"; exit 1; }

typecheck: $(INSTALLED) ## tsc --noEmit over src, test and scripts
	$(BIN)/tsc --noEmit -p tsconfig.json

docs: dist/docs/index.html ## build the self-contained HTML docs into dist/docs/

dist/docs/index.html: generated/openapi.yaml scripts/build-docs.mjs
	node scripts/build-docs.mjs generated/openapi.yaml $@

serve: generated/openapi.yaml docs ## mock API on 127.0.0.1:4010 and docs on 127.0.0.1:4011 (Ctrl-C stops both)
	node scripts/serve.mjs

test: $(INSTALLED) lint check-generated typecheck ## lint, drift check, typecheck and the whole vitest suite
	$(BIN)/vitest run

build: dist/src/index.js dist/cli.js ## compile the package (ESM + .d.ts) and the CLI into dist/ (a no-op when up to date)

GENERATED_RUNTIME := generated/schema.d.ts generated/validate-request.js generated/validate-request.d.ts generated/sample-video.js generated/sample-video.d.ts
dist/src/index.js: $(INSTALLED) $(SDK_SOURCES) $(GENERATED_RUNTIME) tsconfig.json tsconfig.build.json
	rm -rf dist/src dist/generated
	$(BIN)/tsc -p tsconfig.build.json
	mkdir -p dist/generated
	cp $(GENERATED_RUNTIME) dist/generated/
	@touch $@

dist/cli.js: $(INSTALLED) $(shell find src/cli -name '*.ts') package.json scripts/build-cli.mjs generated/openapi.yaml
	node scripts/build-cli.mjs
	chmod +x $@

conformance: build generated/openapi.yaml ## check a real gateway: make conformance BASE_URL=... API_KEY=... TASK_ID=... [CREATE=1]
	@BASE_URL="$(BASE_URL)" API_KEY="$(API_KEY)" TASK_ID="$(TASK_ID)" CREATE="$(CREATE)" node scripts/conformance.mjs

fuzz: $(INSTALLED) generated/openapi.yaml ## differential fuzzing of SDK validator vs spec vs Prism: make fuzz N=100000
	FUZZ_RUNS=$(or $(N),20000) $(BIN)/vitest run test/contract/differential.test.ts

bench: build ## benchmarks: overhead vs bare fetch, validation speed, bundle size, wait cost (writes BENCHMARKS.md)
	node --no-warnings scripts/bench.mjs

clean: ## remove build output (not node_modules)
	rm -rf dist docs test-results
