package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"qdex/search"
	"qdex/web"
)

// cmdServe serves the web pages and the JSON API from an index directory. A missing or
// broken index does not stop it: it starts, reports not ready at /readyz and answers
// 503 until an index can be opened.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "--index DIR --addr HOST:PORT [--dev] [--log-format text|json]", stderr)
	index := fs.String("index", "var/index", "index directory")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dev := fs.Bool("dev", false, "read templates and static files from --web on every request")
	webDir := fs.String("web", "web", "the web/ directory of the source tree, for --dev")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	var h slog.Handler
	switch *logFormat {
	case "text":
		h = slog.NewTextHandler(stderr, nil)
	case "json":
		h = slog.NewJSONHandler(stderr, nil)
	default:
		fmt.Fprintf(stderr, "qdex serve: --log-format must be text or json\n")
		return errUsage
	}
	log := slog.New(h)

	holder := search.NewHolder(nil)
	defer holder.Close()
	if ix, err := search.Open(*index); err != nil {
		log.Error("index not available: serving without it", "index", *index, "err", err)
	} else {
		m := ix.Manifest()
		log.Info("index open", "index", ix.Dir(), "documents", m.Documents(), "built_at", m.BuiltAt)
		holder.Swap(ix)
	}

	srv, err := web.New(web.Config{Holder: holder, Logger: log, Dev: *dev, DevDir: *webDir})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "pid", os.Getpid())
	return srv.Serve(ctx, ln)
}
