//go:build unix

package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestLoadSkipsSpecialFiles: a named pipe in the corpus (reading it would block for
// ever) is reported and skipped.
func TestLoadSkipsSpecialFiles(t *testing.T) {
	dir := copyGood(t, nil)
	fifo := filepath.Join(dir, "synonyms.yml")
	os.Remove(fifo)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan error, 1)
	var c *Corpus
	go func() {
		var err error
		c, err = Load(dir)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a named pipe")
	}
	if got := problems(dir, c.Warnings); !slices.Equal(got, []string{"synonyms.yml: warning: ignored: not a regular file"}) {
		t.Errorf("warnings %q", got)
	}
}
