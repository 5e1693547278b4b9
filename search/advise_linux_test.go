package search

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSegmentsAdvisedRandom: every mapped segment of an open index carries the
// random-read advice (VmFlags "rr" in /proc/self/smaps), so that page faults do not
// read ahead.
func TestSegmentsAdvisedRandom(t *testing.T) {
	ix := openGood(t)
	dir, err := filepath.EvalSymlinks(ix.Dir())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var current string // the segment file of the mapping being read, if any
	segments := 0
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			// A mapping's header: address range, permissions, offset, device, inode
			// and, for a file, its path.
			current = ""
			if len(fields) >= 6 && strings.HasPrefix(fields[5], dir) && strings.HasSuffix(fields[5], ".zap") {
				path := fields[5]
				current = path
				segments++
			}
		case strings.HasPrefix(line, "VmFlags:") && current != "":
			if !strings.Contains(" "+strings.Join(fields[1:], " ")+" ", " rr ") {
				t.Errorf("%s mapped without the random-read advice: %s", current, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if segments == 0 {
		t.Fatalf("no mapped segment of %s in /proc/self/smaps", dir)
	}
}
