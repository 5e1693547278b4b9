package insights

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := OpenStore(filepath.Join(t.TempDir(), "insights.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEventsSurviveRestart: events written by one recorder are read by the next
// store opened on the file, and the report counts them.
func TestEventsSurviveRestart(t *testing.T) {
	s := newStore(t)
	r := NewRecorder(context.Background(), s, nil, Options{Flush: 10 * time.Millisecond})
	now := time.Now()
	for i := range 5 {
		r.Search(Search{Time: now, Query: "goroutine leak", Results: 3, Source: "page"})
		r.Click(Click{Time: now, Query: "goroutine leak", Doc: "go/c/g#leak", Position: i + 1})
	}
	r.Search(Search{Time: now, Query: "cobol threads", Results: 0, Suggestion: "go threads"})
	r.Search(Search{Time: now, Query: "go threads", Results: 4, CorrectedFrom: "cobol threads"})
	r.Close()
	if r.Written() != 12 || r.Dropped() != 0 {
		t.Fatalf("written %d, dropped %d", r.Written(), r.Dropped())
	}
	again, err := OpenStore(s.Path(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := again.Report(now.Add(-time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Searches != 7 || rep.Clicks != 5 || len(rep.Top) != 3 || rep.Top[0].Query != "goroutine leak" || rep.Top[0].Clicks != 5 {
		t.Fatalf("report %+v", rep)
	}
	if len(rep.ZeroResults) != 1 || rep.ZeroResults[0].Suggestion != "go threads" || rep.ZeroResults[0].Taken != 1 {
		t.Errorf("zero results %+v", rep.ZeroResults)
	}
	if rep.ClickPositions[0] != 1 || rep.ClickPositions[4] != 1 || len(rep.PerDay) == 0 || rep.PerDay[len(rep.PerDay)-1].Searches != 7 {
		t.Errorf("positions %v, per day %v", rep.ClickPositions, rep.PerDay)
	}
}

// TestReportLists: a query searched often and never opened is "rarely clicked";
// one whose clicks land below the fifth hit is "far down"; filters by framework.
func TestReportLists(t *testing.T) {
	s := newStore(t)
	now := time.Now()
	var b batch
	for range 4 {
		b.searches = append(b.searches,
			Search{Time: now, Query: "unopened", Results: 9, Filters: map[string][]string{"framework": {"go"}}},
			Search{Time: now, Query: "deep", Results: 30})
		b.clicks = append(b.clicks, Click{Time: now, Query: "deep", Position: 8})
	}
	if err := s.write(b); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Report(now.Add(-time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unclicked) != 1 || rep.Unclicked[0].Query != "unopened" {
		t.Errorf("unclicked %+v", rep.Unclicked)
	}
	if len(rep.FarDown) != 1 || rep.FarDown[0].Query != "deep" || rep.FarDown[0].MeanPosition != 8 {
		t.Errorf("far down %+v", rep.FarDown)
	}
	goRep, _ := s.Report(now.Add(-time.Hour), "go")
	if goRep.Searches != 4 || goRep.Clicks != 0 {
		t.Errorf("framework go: %d searches, %d clicks", goRep.Searches, goRep.Clicks)
	}
}

// TestRetention: events older than the retention are deleted, newer ones kept.
func TestRetention(t *testing.T) {
	s := newStore(t)
	now := time.Now()
	if err := s.write(batch{searches: []Search{
		{Time: now.Add(-100 * 24 * time.Hour), Query: "old"},
		{Time: now.Add(-time.Hour), Query: "new"},
	}, clicks: []Click{{Time: now.Add(-100 * 24 * time.Hour), Query: "old"}}}); err != nil {
		t.Fatal(err)
	}
	r := NewRecorder(context.Background(), s, nil, Options{Retention: 90 * 24 * time.Hour})
	r.Close()
	rep, err := s.Report(time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Searches != 1 || rep.Top[0].Query != "new" || rep.Clicks != 0 {
		t.Errorf("after pruning: %d searches %+v, %d clicks", rep.Searches, rep.Top, rep.Clicks)
	}
}

// TestCorruptStoreIsReplaced: a file that is not a database is moved aside and a
// new one made.
func TestCorruptStoreIsReplaced(t *testing.T) {
	p := filepath.Join(t.TempDir(), "insights.db")
	if err := os.WriteFile(p, []byte("not a bolt file, just some bytes that go on and on"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.write(batch{searches: []Search{{Time: time.Now(), Query: "x"}}}); err != nil {
		t.Fatal(err)
	}
	aside, _ := filepath.Glob(p + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("moved aside: %v", aside)
	}
}

// TestFailingStoreDropsAndCounts: with no database (a read-only directory) or a
// queue that is full, events are dropped and counted, and recording never blocks.
func TestFailingStoreDropsAndCounts(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if _, err := OpenStore(filepath.Join(dir, "insights.db"), nil); err == nil && os.Getuid() != 0 {
		t.Fatal("a store opened in a read-only directory")
	}
	dropped := 0
	var mu sync.Mutex
	r := NewRecorder(context.Background(), nil, nil, Options{Queue: 4, Flush: time.Hour, OnDrop: func(n int) { mu.Lock(); dropped += n; mu.Unlock() }})
	start := time.Now()
	for i := range 100 {
		r.Search(Search{Time: time.Now(), Query: fmt.Sprint(i)})
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("recording 100 events took %s", took)
	}
	r.Close()
	if r.Dropped() != 100 || r.Written() != 0 {
		t.Errorf("dropped %d, written %d", r.Dropped(), r.Written())
	}
}

// TestConcurrentRecordingLosesNothing: 16 writers at once, every event stored.
func TestConcurrentRecordingLosesNothing(t *testing.T) {
	s := newStore(t)
	r := NewRecorder(context.Background(), s, nil, Options{Flush: 20 * time.Millisecond})
	var wg sync.WaitGroup
	const each = 500
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r.Search(Search{Time: time.Now(), Query: fmt.Sprintf("q%d-%d", w, i%7), Results: 1})
				if i%100 == 0 {
					time.Sleep(time.Millisecond) // a little room for the writer
				}
			}
		}()
	}
	wg.Wait()
	r.Close()
	rep, err := s.Report(time.Now().Add(-time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Dropped() != 0 || rep.Searches != 16*each {
		t.Errorf("dropped %d, stored %d of %d", r.Dropped(), rep.Searches, 16*each)
	}
}

// TestPopularAndBlocked: popular queries are those whose latest search found
// something, most searched first; blocked queries are kept and can be unblocked.
func TestPopularAndBlocked(t *testing.T) {
	s := newStore(t)
	now := time.Now()
	if err := s.write(batch{searches: []Search{
		{Time: now, Query: "goroutine leak", Results: 3},
		{Time: now, Query: "goroutine leak", Results: 3},
		{Time: now, Query: "gil", Results: 2},
		{Time: now, Query: "cobol", Results: 0},
		{Time: now, Query: "was found", Results: 1},
		{Time: now.Add(time.Second), Query: "was found", Results: 0},
	}}); err != nil {
		t.Fatal(err)
	}
	pop, err := s.PopularQueries(now.Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pop) != 2 || pop[0].Query != "goroutine leak" || pop[0].Searches != 2 || pop[1].Query != "gil" {
		t.Errorf("popular %+v", pop)
	}
	if err := s.Block("Goroutine  Leak"); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Blocked(); len(b) != 1 || b[0] != "goroutine leak" {
		t.Errorf("blocked %v", b)
	}
	s.Unblock("goroutine leak")
	if b, _ := s.Blocked(); len(b) != 0 {
		t.Errorf("after unblocking: %v", b)
	}
}
