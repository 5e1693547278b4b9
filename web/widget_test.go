package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWidgetScripts: /widget.js carries its stylesheet and weighs under 30 KB
// gzipped; both scripts are cached for an hour and revalidated by ETag.
func TestWidgetScripts(t *testing.T) {
	s := newServer(t)
	for _, name := range []string{"/widget.js", "/highlight.js"} {
		rec := get(t, s, name)
		body := rec.Body.Bytes()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") ||
			rec.Header().Get("Cache-Control") != widgetMaxAge || rec.Header().Get("ETag") == "" {
			t.Fatalf("%s: %d %v", name, rec.Code, rec.Header())
		}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(body)
		w.Close()
		t.Logf("%s: %d bytes, %d gzipped", name, len(body), gz.Len())
		if gz.Len() > 30<<10 {
			t.Errorf("%s: %d bytes gzipped, want under 30 KB", name, gz.Len())
		}
		req := httptest.NewRequest(http.MethodGet, name, nil)
		req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
		again := httptest.NewRecorder()
		s.ServeHTTP(again, req)
		if again.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", name, again.Code)
		}
	}
	js := get(t, s, "/widget.js").Body.String()
	if strings.Contains(js, "/*QDEX_CSS*/") || !strings.Contains(js, "--qdex-accent") {
		t.Error("widget.js does not carry its stylesheet")
	}
}
