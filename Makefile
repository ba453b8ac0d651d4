# `make test` is the one command that runs every test; .ci/run calls it.

GO_FILES = $(shell git ls-files '*.go')

.PHONY: test fmt-check vet gotest web web-check build e2e

test: fmt-check vet gotest web-check e2e

fmt-check:
	@out=$$(gofmt -l $(GO_FILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

gotest:
	go test -race -count=1 -timeout 20m ./...

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci

e2e/node_modules/.package-lock.json: e2e/package-lock.json
	cd e2e && npm ci

# web rebuilds the console and widget into web/dist (committed, embedded).
web: web/node_modules/.package-lock.json
	cd web && npm run typecheck && npm run build

# web-check fails when the committed web/dist is not what the sources build.
web-check: web
	@if [ -n "$$(git status --porcelain -- web/dist)" ]; then \
		echo "web/dist differs from a fresh build of web/ — run 'make web' and commit web/dist:"; \
		git status --porcelain -- web/dist; exit 1; fi

build:
	go build -o bin/outputdesk ./cmd/outputdesk

# e2e drives the real binary in headless Chromium (Debian's chromium).
e2e: build e2e/node_modules/.package-lock.json
	cd e2e && OUTPUTDESK_BIN=$(CURDIR)/bin/outputdesk npm test
