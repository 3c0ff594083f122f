# kling-video: every target installs node_modules from package-lock.json first when it is
# missing or stale, so `make serve` and `make test` work on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BIN := node_modules/.bin
INSTALLED := node_modules/.installed
SPEC_SOURCES := $(shell find openapi -name '*.yaml') redocly.yaml scripts/bundle.mjs scripts/code-samples.mjs scripts/request-fields.mjs
SOURCES := $(shell find src -name '*.ts')
GENERATED := generated/openapi.yaml generated/schema.d.ts generated/validate-request.js generated/request-fields.js \
  generated/examples.js assets/sample-video.js
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: help install lint bundle generate check-generated typecheck docs serve serve-static test vitest build bench fuzz conformance clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed -E 's/:.*## /\t/' | expand -t 18

$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(INSTALLED) ## install node_modules from package-lock.json (npm ci)

lint: $(INSTALLED) generated/openapi.yaml ## lint the spec (Redocly, Spectral) and the code (Biome): zero errors, zero warnings
	@node scripts/lint-spec.mjs
	@$(BIN)/biome check --error-on-warnings .

generated/openapi.yaml: $(INSTALLED) $(SPEC_SOURCES)
	@node scripts/bundle.mjs

bundle: generated/openapi.yaml ## bundle the split spec into generated/openapi.yaml

generate: bundle ## bundle, then generate the types, the request validator, the field table and the mock's examples into generated/
	$(BIN)/openapi-typescript generated/openapi.yaml -o generated/schema.d.ts \
	  --default-non-nullable false -c scripts/openapi-typescript.redocly.yaml
	node scripts/generate-validator.mjs generated/openapi.yaml generated/validate-request.js
	node scripts/generate-fields.mjs generated/openapi.yaml generated/request-fields.js
	node scripts/generate-examples.mjs generated/openapi.yaml generated/examples.js
	node scripts/embed-sample-video.mjs assets/sample.mp4 assets/sample-video.js

check-generated: $(INSTALLED) ## regenerate from scratch and fail if generated/ differs from git
	rm -f generated/openapi.yaml
	$(MAKE) --no-print-directory generate
	@git diff --exit-code --stat -- generated/ assets/ && test -z "$$(git status --porcelain -- generated/ assets/)" \
	  || { echo "generated/ is out of step with openapi/: run 'make generate' and commit"; exit 1; }

typecheck: $(INSTALLED) ## tsc --noEmit over src, test and scripts
	$(BIN)/tsc --noEmit -p tsconfig.json --incremental --tsBuildInfoFile node_modules/.cache/kling-video/tsc.tsbuildinfo

build: dist/index.js dist/docs/index.html ## compile the package (ESM + .d.ts), the CLI and the docs page into dist/ (a no-op when up to date)

dist/index.js: $(INSTALLED) $(SOURCES) $(GENERATED) package.json tsconfig.json tsconfig.build.json scripts/build.mjs
	node scripts/build.mjs
	$(BIN)/tsc -p tsconfig.build.json

docs: dist/docs/index.html ## build the self-contained HTML docs into dist/docs/

dist/docs/index.html: dist/index.js generated/openapi.yaml scripts/build-docs.mjs scripts/redocly.mjs
	node scripts/build-docs.mjs $@

serve: build ## the stateful mock API behind Prism (which checks every exchange) on 127.0.0.1:4010 (MOCK_PORT), docs on 127.0.0.1:4011 (DOCS_PORT)
	node scripts/serve.mjs

serve-static: build ## Prism's static mock of the spec on 127.0.0.1:4010 (Prefer: code=/example=), and the docs
	node scripts/serve.mjs --static

test: $(INSTALLED) ## drift check, then lint, typecheck and the whole vitest suite side by side
	@$(MAKE) --no-print-directory check-generated
	@$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck vitest

vitest: $(INSTALLED)
	$(BIN)/vitest run

conformance: build ## check a real gateway: make conformance BASE_URL=... API_KEY=... TASK_ID=... [CREATE=1]
	@BASE_URL="$(BASE_URL)" API_KEY="$(API_KEY)" TASK_ID="$(TASK_ID)" CREATE="$(CREATE)" node scripts/conformance.mjs

fuzz: $(INSTALLED) generated/openapi.yaml ## differential fuzzing of SDK validator vs spec vs Prism: make fuzz N=100000
	FUZZ_RUNS=$(or $(N),20000) $(BIN)/vitest run test/contract/differential.test.ts

# The SDKs the bundle-size row compares with: the bench's own dev dependencies, never the package's.
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund
	@touch $@

bench: build bench/node_modules/.installed ## benchmarks beside their baselines (writes BENCHMARKS.md); ONLY=bundle runs one row
	node --no-warnings --expose-gc scripts/bench.mjs $(if $(ONLY),--only $(ONLY))

clean: ## remove build output (not node_modules)
	rm -rf dist test-results
