# The wizard server. `make run` starts it on http://localhost:8080 with the
# in-memory session store; `make test` runs every test.
GO       ?= go
ADDR     ?= localhost:8080
TEMPL    := $(GO) tool templ

.PHONY: run test check dev dev-embed build bench bench-load generate screenshots

generate:
	$(TEMPL) generate

run: generate
	$(GO) run ./cmd/wizard -addr $(ADDR)

build: generate
	$(GO) build -o bin/wizard ./cmd/wizard

test:
	$(GO) test -race -count=1 ./...

# check fails on unformatted Go or templ code, vet or staticcheck findings,
# generated code that does not match its templates, or a vendored htmx that
# is not the pinned one.
check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(TEMPL) fmt -fail .
	$(TEMPL) generate
	git diff --exit-code -- '*_templ.go'
	@test -z "$$(git status --porcelain --untracked-files=all -- '*_templ.go')" || { echo "uncommitted generated files"; exit 1; }
	cd static && sha256sum -c htmx.min.js.sha256
	cd internal/browsertest/testdata && sha256sum -c axe.min.js.sha256

# dev regenerates templates on save and reloads the browser: open
# http://localhost:7331 (templ's proxy in front of the server on $(ADDR)).
# It serves the wizard definitions of FORMS (the demo's by default) and
# reloads them, and the browser, when a file there is saved, without a
# restart: sessions in progress stay.
FORMS ?= demo/forms
dev:
	$(TEMPL) generate -watch -proxy=http://$(ADDR) -open-browser=false \
		-cmd="$(GO) run ./cmd/wizard -addr $(ADDR) -static-dir static -forms $(FORMS) -watch -reload-url http://127.0.0.1:7331/_templ/reload/events"

# dev-embed is dev for the example site of examples/embed (a Go program
# that mounts wizards under /apply/ in its own layout): open
# http://localhost:7331.
EMBED_ADDR ?= localhost:8081
dev-embed:
	$(TEMPL) generate -watch -proxy=http://$(EMBED_ADDR) -open-browser=false \
		-cmd="$(GO) run ./examples/embed -addr $(EMBED_ADDR)"

# bench runs every go test benchmark, among them the session stores side by
# side at 1k, 100k and 1M sessions (several minutes).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

# bench-load measures the classic wizard's hot path (an htmx step post) at 1,
# 1k, 100k and 1M live sessions against a bare net/http server answering a
# fixed page of the same size, and prints a Markdown table (about 10 minutes;
# see `go doc ./loadtest`). BENCH_STORE names the session store, or several
# side by side in one run, e.g.
# BENCH_STORE=memory,redis://127.0.0.1:6379/0,postgres://postgres@127.0.0.1:5432/test
# BENCH_LOAD_FLAGS passes other flags, e.g.
# BENCH_LOAD_FLAGS="-sizes 1000 -runs 1 -duration 2s" for a quick look.
BENCH_STORE ?= memory
BENCH_LOAD_FLAGS ?=
bench-load: build
	$(GO) build -o bin/loadtest ./loadtest
	bin/loadtest -wizard bin/wizard -store $(BENCH_STORE) $(BENCH_LOAD_FLAGS)

# screenshots writes the README's pictures (a step, an error, the review, the
# done page) to docs/screenshots with the browser tests' harness; it needs
# chromium.
screenshots:
	WIZARD_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run '^TestScreenshots$$' -v ./e2e/
