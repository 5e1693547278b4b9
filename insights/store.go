// Package insights records what readers search for and click, keeps it for a bounded
// time in an embedded database, and reports on it: the queries people ask, the ones
// that find nothing, the ones whose answers nobody opens. It stores no address and
// no cookie: an event is a query, its filters, what it found and when.
package insights

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// Search is one search as a reader ran it.
type Search struct {
	Time       time.Time           `json:"t"`
	Query      string              `json:"q"` // Normalize'd
	Filters    map[string][]string `json:"f,omitempty"`
	Results    int                 `json:"n"`
	Lexical    int                 `json:"lex,omitempty"` // hits on the page found by the words (or both sides)
	Semantic   int                 `json:"sem,omitempty"` // hits on the page found by meaning only
	Suggestion string              `json:"sug,omitempty"` // the correction offered
	// CorrectedFrom is the query whose offered correction this search is: the
	// reader took it.
	CorrectedFrom string  `json:"from,omitempty"`
	LatencyMS     float64 `json:"ms"`
	Source        string  `json:"src"` // page, instant, widget or api
}

// Click is a reader opening a result.
type Click struct {
	Time     time.Time `json:"t"`
	Query    string    `json:"q"`
	Doc      string    `json:"doc"`
	Position int       `json:"pos"` // 1 for the first hit of the first page
	Source   string    `json:"src"`
}

// Normalize is the form queries are stored and counted in: lower-case, spaces
// collapsed, trimmed.
func Normalize(q string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(q), unicode.IsSpace), " ")
}

var (
	searchesBucket = []byte("searches")
	clicksBucket   = []byte("clicks")
)

// Store is the events database, a bbolt file. It is opened for each batch written
// and each report, and closed again, so that `qdex insights` can read it while a
// server writes (bbolt holds a file lock while open).
type Store struct {
	path string
	log  *slog.Logger
	mu   sync.Mutex // one open at a time in this process
}

// lockWait is how long an open waits for the other process holding the file.
const lockWait = 3 * time.Second

// OpenStore prepares the database at path, creating it if missing. A file that is
// not a readable database is moved aside (path.corrupt-<time>) and a new one made,
// with a log line: the events are worth less than a working server.
func OpenStore(path string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{path: path, log: log}
	createBuckets := func(tx *bolt.Tx) error {
		for _, b := range [][]byte{searchesBucket, clicksBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}
	err := s.update(createBuckets)
	if err == nil {
		return s, nil
	}
	if _, statErr := os.Stat(path); statErr != nil || errors.Is(err, bolt.ErrTimeout) || errors.Is(err, os.ErrPermission) {
		return nil, fmt.Errorf("insights %s: %w", path, err)
	}
	aside := fmt.Sprintf("%s.corrupt-%s", path, time.Now().UTC().Format("20060102T150405"))
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, fmt.Errorf("insights %s: %w (and moving it aside: %v)", path, err, rerr)
	}
	log.Warn("insights database unreadable: moved aside, starting a new one", "path", path, "aside", aside, "error", err)
	if err := s.update(createBuckets); err != nil {
		return nil, fmt.Errorf("insights %s: %w", path, err)
	}
	return s, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) open(readOnly bool) (*bolt.DB, error) {
	return bolt.Open(s.path, 0o644, &bolt.Options{Timeout: lockWait, ReadOnly: readOnly})
}

func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil { // bbolt panics on some corrupt files
			err = fmt.Errorf("database: %v", r)
		}
	}()
	db, err := s.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(fn)
}

func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("database: %v", r)
		}
	}()
	db, err := s.open(true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(fn)
}

// key orders events by time: the nanoseconds, then a sequence number so that two
// events of one nanosecond both stay.
func key(t time.Time, seq uint32) []byte {
	k := make([]byte, 12)
	if t.After(time.Unix(0, 0)) { // the zero time is "from the start"
		binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	}
	binary.BigEndian.PutUint32(k[8:], seq)
	return k
}

// batch is what the recorder writes in one transaction.
type batch struct {
	searches []Search
	clicks   []Click
}

func (s *Store) write(b batch) error {
	return s.update(func(tx *bolt.Tx) error {
		var seq uint32
		put := func(bucket []byte, t time.Time, v any) error {
			data, err := json.Marshal(v)
			if err != nil {
				return err
			}
			seq++
			return tx.Bucket(bucket).Put(key(t, seq), data)
		}
		for _, e := range b.searches {
			if err := put(searchesBucket, e.Time, e); err != nil {
				return err
			}
		}
		for _, e := range b.clicks {
			if err := put(clicksBucket, e.Time, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Prune deletes the events older than before and returns how many.
func (s *Store) Prune(before time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		limit := key(before, 0)
		for _, name := range [][]byte{searchesBucket, clicksBucket} {
			c := tx.Bucket(name).Cursor()
			for k, _ := c.First(); k != nil && string(k) < string(limit); k, _ = c.First() {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// Size is the database file's size in bytes.
func (s *Store) Size() int64 {
	st, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// scan reads the events from since on, oldest first.
func (s *Store) scan(since time.Time, search func(Search), click func(Click)) error {
	return s.view(func(tx *bolt.Tx) error {
		from := key(since, 0)
		c := tx.Bucket(searchesBucket).Cursor()
		for k, v := c.Seek(from); k != nil; k, v = c.Next() {
			var e Search
			if json.Unmarshal(v, &e) == nil {
				search(e)
			}
		}
		c = tx.Bucket(clicksBucket).Cursor()
		for k, v := c.Seek(from); k != nil; k, v = c.Next() {
			var e Click
			if json.Unmarshal(v, &e) == nil {
				click(e)
			}
		}
		return nil
	})
}

var blockedBucket = []byte("blocked")

// Block keeps query from ever being suggested (the admin's call); Unblock undoes it.
func (s *Store) Block(query string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(blockedBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(Normalize(query)), []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

// Unblock lets query be suggested again.
func (s *Store) Unblock(query string) error {
	return s.update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(blockedBucket); b != nil {
			return b.Delete([]byte(Normalize(query)))
		}
		return nil
	})
}

// Blocked lists the blocked suggestions.
func (s *Store) Blocked() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(blockedBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}
