//go:build !linux

package search

import segment "github.com/blevesearch/scorch_segment_api/v2"

// adviseRandom is a no-op where qdex does not pass read advice to the kernel.
func adviseRandom([]segment.Segment) error { return nil }
