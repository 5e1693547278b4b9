package search

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
	lru "github.com/hashicorp/golang-lru/v2"

	"qdex/indexer"
)

// The semantic side of a search: the query embedded by a sentence encoder and
// compared with the vectors of every passage the index embedded, exactly (a dot
// product of unit vectors per passage: 10k × 384 floats take well under a
// millisecond, 100k a few). Its hits are fused with the lexical ones in request.go.

// QueryEmbedder embeds a query into the space of the index's vectors (package embed).
type QueryEmbedder interface {
	ID() string
	EmbedQuery(ctx context.Context, text string) ([]float32, error)
	// SimilarityFloor is the least cosine similarity of a semantic hit: below it,
	// the nearest passages are noise that would pad every result and push exact
	// matches down. Each model has its own scale.
	SimilarityFloor() float32
}

// semanticIndex holds the index's passage vectors by document number.
type semanticIndex struct {
	model string
	dim   int
	docs  []uint64  // the document of each passage
	ids   []string  // its ID
	data  []float32 // the passages' unit vectors, dim floats each
}

// loadSemantic reads the build's vectors and numbers their documents as the snapshot
// does; nil when the build has none.
func loadSemantic(buildDir string, r index.IndexReader) (*semanticIndex, error) {
	v, err := indexer.ReadVectors(buildDir)
	if err != nil || v == nil {
		return nil, err
	}
	s := &semanticIndex{model: v.Model, dim: v.Dim, docs: make([]uint64, 0, v.Len()), data: make([]float32, 0, len(v.Data))}
	for i, id := range v.IDs {
		iid, err := r.InternalID(id)
		if err != nil {
			return nil, fmt.Errorf("vectors: %s: %w", id, err)
		}
		n, ok := docNumber(iid)
		if !ok {
			continue // a document the index does not hold: left out
		}
		s.docs = append(s.docs, n)
		s.ids = append(s.ids, id)
		s.data = append(s.data, v.Row(i)...)
	}
	return s, nil
}

// similar is a document and how close its nearest passage is to the query.
type similar struct {
	doc uint64
	sim float32
}

// nearest returns the documents whose best passage is at least floor close to q,
// closest first, that keep accepts, at most k.
func (s *semanticIndex) nearest(q []float32, floor float32, k int, keep func(doc uint64) bool) []similar {
	best := map[uint64]float32{}
	dim := s.dim
	for i, doc := range s.docs {
		row := s.data[i*dim : (i+1)*dim : (i+1)*dim]
		var dot float32
		for j, x := range q[:dim] {
			dot += x * row[j]
		}
		if dot < floor {
			continue
		}
		if old, ok := best[doc]; !ok || dot > old {
			best[doc] = dot
		}
	}
	out := make([]similar, 0, len(best))
	for doc, sim := range best {
		if keep == nil || keep(doc) {
			out = append(out, similar{doc, sim})
		}
	}
	slices.SortFunc(out, func(a, b similar) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	return out[:min(len(out), k)]
}

// queryCacheSize is how many query vectors are kept (each dim floats: 1.5 KB at 384).
const queryCacheSize = 4096

// semanticSide is what an Index needs to search by meaning: its vectors and the
// model that embeds queries into their space.
type semanticSide struct {
	vectors *semanticIndex
	model   QueryEmbedder
	cache   *lru.Cache[string, []float32]
	off     string // why semantic search is off, "" when on
	mu      sync.Mutex
	// related caches Related by page: the vectors do not change, and a page of a
	// large index compares its questions with every passage.
	related sync.Map
}

func openSemantic(buildDir string, r index.IndexReader) (*semanticSide, error) {
	s := &semanticSide{}
	var err error
	if s.vectors, err = loadSemantic(buildDir, r); err != nil {
		return nil, err
	}
	s.off = "no model loaded"
	if s.vectors == nil {
		s.off = "the index has no vectors (built without a model or with --no-semantic)"
	}
	return s, nil
}

// SetEmbedder gives the index the model its vectors were embedded with. Without a
// model, or with another one, search stays lexical and Semantic says why.
func (ix *Index) SetEmbedder(m QueryEmbedder) {
	s := ix.sem
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.vectors == nil:
		s.off = "the index has no vectors (built without a model or with --no-semantic)"
	case m == nil:
		s.off = "no model loaded"
	case m.ID() != s.vectors.model:
		s.off = fmt.Sprintf("the index was embedded with %s, the model loaded is %s: rebuild it", s.vectors.model, m.ID())
	default:
		s.model, s.off = m, ""
		s.cache, _ = lru.New[string, []float32](queryCacheSize)
		return
	}
	s.model = nil
}

// Semantic reports whether searches use the semantic side, and why not.
func (ix *Index) Semantic() (on bool, reason string) {
	s := ix.sem
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model != nil, s.off
}

// embedQuery embeds the query, from the cache when it was embedded before.
func (s *semanticSide) embedQuery(ctx context.Context, text string) ([]float32, error) {
	key := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	if v, ok := s.cache.Get(key); ok {
		return v, nil
	}
	v, err := s.model.EmbedQuery(ctx, key)
	if err != nil {
		return nil, err
	}
	s.cache.Add(key, v)
	return v, nil
}

// RelatedQuestion is a question of another subtopic near a page's questions by
// meaning.
type RelatedQuestion struct {
	ID, Question, SubtopicPath, SubtopicName, FrameworkName, URL string
	Similarity                                                   float32
}

// maxRelated bounds the related questions of a page.
const maxRelated = 5

// relatedFloor is the least similarity of a related question: below it, the nearest
// question of another subtopic is rarely about the same thing.
const relatedFloor = 0.5

// Related lists the questions of other subtopics nearest to the questions of the
// subtopic page (framework/topic/subtopic), closest first. It reads the index's
// vectors only: no model is needed. Nil when the index has none.
func (ix *Index) Related(page string) []RelatedQuestion {
	if ix.sem.vectors == nil {
		return nil
	}
	if r, ok := ix.sem.related.Load(page); ok {
		return r.([]RelatedQuestion)
	}
	r := ix.related(page)
	ix.sem.related.Store(page, r)
	return r
}

func (ix *Index) related(page string) []RelatedQuestion {
	v := ix.sem.vectors
	prefix := page + "#"
	var own []int
	for i, id := range v.ids {
		if strings.HasPrefix(id, prefix) {
			own = append(own, i)
		}
	}
	best := map[int]float32{}
	for _, i := range own {
		q := v.data[i*v.dim : (i+1)*v.dim]
		for j, id := range v.ids {
			if strings.HasPrefix(id, prefix) || strings.HasPrefix(id, "blog/") {
				continue
			}
			var dot float32
			row := v.data[j*v.dim : (j+1)*v.dim]
			for d, x := range q {
				dot += x * row[d]
			}
			if dot >= relatedFloor && dot > best[j] {
				best[j] = dot
			}
		}
	}
	rows := slices.Collect(maps.Keys(best))
	slices.SortFunc(rows, func(a, b int) int {
		if c := cmp.Compare(best[b], best[a]); c != 0 {
			return c
		}
		return cmp.Compare(v.ids[a], v.ids[b])
	})
	var out []RelatedQuestion
	for _, j := range rows {
		if len(out) == maxRelated {
			break
		}
		id := v.ids[j]
		path, qid, _ := strings.Cut(id, "#")
		s := ix.catalog.Subtopic(path)
		if s == nil {
			continue
		}
		for _, q := range s.Questions {
			if q.ID == qid {
				out = append(out, RelatedQuestion{ID: id, Question: q.Q, SubtopicPath: path, SubtopicName: s.Name, FrameworkName: s.FrameworkName, URL: "/" + id, Similarity: best[j]})
				break
			}
		}
	}
	return out
}
