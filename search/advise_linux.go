package search

import (
	"fmt"
	"syscall"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// adviseRandom tells the kernel that the segments' mapped files are read at random.
// By default a page fault reads ahead and maps up to 256 KB around the page, while a
// search reads scattered postings, dictionaries and stored documents. Without memory
// pressure that only swells the resident set. In a memory-limited container the
// read-ahead evicts pages still in use: at 100k questions, in 300 MB, qdex serve gave
// 2 searches/s without the advice (see bench/RESULTS.md).
func adviseRandom(segs []segment.Segment) error {
	for _, s := range segs {
		m, ok := s.(interface{ Data() []byte })
		if !ok || len(m.Data()) == 0 {
			continue
		}
		if err := syscall.Madvise(m.Data(), syscall.MADV_RANDOM); err != nil {
			return fmt.Errorf("madvise: %w", err)
		}
	}
	return nil
}
