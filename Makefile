# `make test` is the one command that runs every test; .ci/run calls it.

GO_FILES = $(shell git ls-files '*.go')

.PHONY: test fmt-check vet gotest fuzz web web-check build e2e

test: fmt-check vet gotest fuzz web-check e2e

fmt-check:
	@out=$$(gofmt -l $(GO_FILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

gotest:
	go test -race -count=1 -timeout 20m ./...

# fuzz runs every fuzz target of untrusted input briefly (their seed corpora
# run in gotest too). A long run of one: see docs/testing.md. The budget is
# a count of inputs, not a time: Go 1.26's fuzzing coordinator can fail a
# timed run with a bare "context deadline exceeded" when a busy machine
# starves its workers at the deadline (go.dev/issue/75804); a count has no
# deadline, so a busy machine only makes it slower.
FUZZTIME ?= 100000x
FUZZ_TARGETS = internal/desk:FuzzWildcard internal/desk:FuzzCondition internal/desk:FuzzPageClean \
	internal/desk:FuzzBrowserAndOS internal/desk:FuzzSniffFile internal/httpapi:FuzzReadJSON internal/realtime:FuzzReadFrame \
	internal/realtime:FuzzReadHelloFrame
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($$pkg, $(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

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
