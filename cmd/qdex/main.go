// Command qdex indexes a corpus of interview questions and searches it, from the
// command line or over HTTP.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"qdex/web"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `qdex: full-text search for programming interview questions

Usage:
  qdex index    --data DIR --index DIR [--strict]
                build or update the index; files with errors are kept at their last
                good version or left out (exit 3), or with --strict nothing is (exit 1)
  qdex validate --data DIR                    check the corpus, report every error
  qdex search   --index DIR [--json] [--size N] QUERY...
  qdex serve    --index DIR --addr HOST:PORT  serve the web pages and the JSON API
  qdex eval     --index DIR --queries DIR     measure relevance on judged queries
  qdex insights --index DIR [--since 7d] [--json]  what readers searched for and did not find
  qdex import   --format FORMAT --framework SLUG --topic SLUG [--subtopic-size N] --out DIR FILE...
  qdex gen      --questions N --seed S --out DIR  write a synthetic corpus for benchmarks
  qdex version

Run "qdex COMMAND -h" for a command's flags.
`

// exitGrace is how long a command has to return once SIGINT or SIGTERM has cancelled
// its context, longer than qdex serve's graceful shutdown. Past it the process exits
// anyway: work that takes no context (opening a large index, loading a corpus) cannot
// keep it running.
var exitGrace = web.ShutdownTimeout + 5*time.Second

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	stop := cancelOnSignal(cancel, os.Stderr)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cancelOnSignal calls cancel at the first SIGINT or SIGTERM. If the process is still
// running exitGrace later, or at a second signal, it says so on stderr and exits with
// 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). stop ends the watch.
func cancelOnSignal(cancel context.CancelFunc, stderr io.Writer) (stop func()) {
	sigs := make(chan os.Signal, 2) // room for a second signal that comes at once
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var sig os.Signal
		select {
		case sig = <-sigs:
		case <-done:
			return
		}
		cancel()
		select {
		case again := <-sigs:
			fmt.Fprintf(stderr, "qdex: %s after %s: exiting now\n", signalName(again), signalName(sig))
			sig = again
		case <-time.After(exitGrace):
			fmt.Fprintf(stderr, "qdex: still running %s after %s: exiting\n", exitGrace, signalName(sig))
		case <-done:
			return
		}
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// commands are qdex's commands by name.
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"index":    cmdIndex,
	"validate": cmdValidate,
	"search":   cmdSearch,
	"serve":    cmdServe,
	"eval":     cmdEval,
	"import":   cmdImport,
	"gen":      cmdGen,
	"insights": cmdInsights,
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "qdex %s\n", version)
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "qdex: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, args[1:], stdout, stderr); err != nil {
		if err == errHelp {
			return 0
		}
		if err == errUsage {
			return 2
		}
		if err == errReported {
			return 1
		}
		if err == errPartial {
			return 3
		}
		fmt.Fprintf(stderr, "qdex %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
