package search

import (
	"sync"
	"sync/atomic"
)

// Holder holds the index being served and lets it be replaced while searches run: a
// search acquires the current index and releases it when done; a replaced index is
// closed once its last search has released it.
type Holder struct {
	mu  sync.Mutex
	cur *held
}

type held struct {
	ix   *Index
	refs atomic.Int64 // searches in flight, plus one while it is current
	once sync.Once
}

func (h *held) release() {
	if h.refs.Add(-1) == 0 {
		h.once.Do(func() { h.ix.Close() })
	}
}

// NewHolder returns a holder serving ix (which may be nil: no index yet).
func NewHolder(ix *Index) *Holder {
	h := &Holder{}
	if ix != nil {
		h.Swap(ix)
	}
	return h
}

// Acquire returns the current index and a release function to call when done with it,
// or nil and a no-op when there is no index.
func (h *Holder) Acquire() (*Index, func()) {
	h.mu.Lock()
	cur := h.cur
	if cur == nil {
		h.mu.Unlock()
		return nil, func() {}
	}
	cur.refs.Add(1)
	h.mu.Unlock()
	var once sync.Once
	return cur.ix, func() { once.Do(cur.release) }
}

// Swap makes ix the current index; the previous one is closed after its last release.
func (h *Holder) Swap(ix *Index) {
	n := &held{ix: ix}
	n.refs.Store(1)
	h.mu.Lock()
	old := h.cur
	h.cur = n
	h.mu.Unlock()
	if old != nil {
		old.release()
	}
}

// Ready reports whether an index is being served.
func (h *Holder) Ready() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur != nil
}

// Close closes the current index once its searches finish.
func (h *Holder) Close() {
	h.mu.Lock()
	old := h.cur
	h.cur = nil
	h.mu.Unlock()
	if old != nil {
		old.release()
	}
}
