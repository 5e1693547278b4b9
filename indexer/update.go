package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"qdex/corpus"
)

// Report says what a build did.
type Report struct {
	Manifest *Manifest
	// Full is true when every document was analysed; FullReason says why.
	Full       bool
	FullReason string
	// Unchanged is true when the corpus matched the index and nothing was built.
	Unchanged                              bool
	FilesAdded, FilesChanged, FilesRemoved []string
	DocsAdded, DocsUpdated, DocsDeleted    int
	Took                                   time.Duration
}

// String summarises the report in one line.
func (r *Report) String() string {
	if r.Unchanged {
		return fmt.Sprintf("index is up to date (%d documents) in %s", r.Manifest.Documents(), r.Took.Round(time.Millisecond))
	}
	if r.Full {
		return fmt.Sprintf("full build (%s): %d questions and %d articles in %s",
			r.FullReason, r.Manifest.Questions, r.Manifest.Articles, r.Took.Round(time.Millisecond))
	}
	return fmt.Sprintf("incremental build: files %d added, %d changed, %d removed; documents %d added, %d updated, %d deleted; %d documents in %s",
		len(r.FilesAdded), len(r.FilesChanged), len(r.FilesRemoved), r.DocsAdded, r.DocsUpdated, r.DocsDeleted,
		r.Manifest.Documents(), r.Took.Round(time.Millisecond))
}

// Update brings the index at dir in line with the corpus. It compares each corpus
// file's digest with the live index's manifest and re-analyses only the documents of
// files added, changed or removed, in a copy of the live index that is then swapped
// in like a full build. It falls back to a full build when there is no usable index,
// the schema changed, or the synonyms changed; full forces one.
func Update(ctx context.Context, c *corpus.Corpus, dir string, full bool, opts Options) (*Report, error) {
	start := time.Now()
	fullBuild := func(reason string) (*Report, error) {
		m, err := Build(ctx, c, dir, opts)
		if err != nil {
			return nil, err
		}
		return &Report{Manifest: m, Full: true, FullReason: reason, DocsAdded: m.Documents(), Took: time.Since(start)}, nil
	}
	if full {
		return fullBuild("--full")
	}
	live, m, err := Resolve(dir)
	switch {
	case errors.Is(err, ErrNoIndex):
		return fullBuild("no index yet")
	case errors.Is(err, ErrSchemaMismatch):
		return fullBuild("schema changed")
	case err != nil:
		return fullBuild(err.Error())
	}
	old, err := ReadCatalog(live)
	if err != nil {
		return fullBuild("catalog unreadable")
	}
	rep := &Report{}
	for p, d := range c.Files {
		od, ok := m.Files[p]
		switch {
		case !ok:
			rep.FilesAdded = append(rep.FilesAdded, p)
		case od != d:
			rep.FilesChanged = append(rep.FilesChanged, p)
		}
	}
	for p := range m.Files {
		if _, ok := c.Files[p]; !ok {
			rep.FilesRemoved = append(rep.FilesRemoved, p)
		}
	}
	slices.Sort(rep.FilesAdded)
	slices.Sort(rep.FilesChanged)
	slices.Sort(rep.FilesRemoved)
	touched := slices.Concat(rep.FilesAdded, rep.FilesChanged, rep.FilesRemoved)
	if model := embedderID(opts); model != m.semanticModel() {
		// Vectors of another model, or none, are not comparable: embed everything.
		return fullBuild(fmt.Sprintf("embedding model changed (%q → %q)", m.semanticModel(), model))
	}
	if len(touched) == 0 {
		rep.Manifest, rep.Unchanged, rep.Took = m, true, time.Since(start)
		return rep, nil
	}
	if slices.Contains(touched, "synonyms.yml") || slices.Contains(touched, "synonyms.yaml") {
		return fullBuild("synonyms changed")
	}

	// The documents to write again: those of touched files, plus those whose stored
	// names come from a touched framework, topic or subtopic file.
	oldDocs, newDocs := docsByPage(old), docsByPage(c)
	pages := map[string]bool{}
	for _, p := range touched {
		for _, page := range pagesOfFile(p, old) {
			pages[page] = true
		}
		for _, page := range pagesOfFile(p, c) {
			pages[page] = true
		}
	}

	st, err := newStaging(dir)
	if err != nil {
		return nil, err
	}
	defer st.abort()
	if err := copyTree(BlevePath(live), BlevePath(st.buildDir)); err != nil {
		return nil, fmt.Errorf("index: copying %s: %w", live, err)
	}
	// The copy inherits the full build's unsafe_batch setting; one batch gains nothing
	// from it, so the update's batch waits until it is on disk.
	if st.idx, err = bleve.OpenUsing(BlevePath(st.buildDir), map[string]any{"unsafe_batch": false}); err != nil {
		return nil, fmt.Errorf("index: opening copy: %w", err)
	}
	batch := st.idx.NewBatch()
	rewritten := map[string]bool{} // documents deleted or written again
	var fresh []passage            // the passages of the documents written again
	for page := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		newIDs := map[string]bool{}
		for _, d := range newDocs[page] {
			newIDs[d.id] = true
		}
		for _, d := range oldDocs[page] {
			rewritten[d.id] = true
			if !newIDs[d.id] {
				batch.Delete(d.id)
				rep.DocsDeleted++
			}
		}
		oldIDs := map[string]bool{}
		for _, d := range oldDocs[page] {
			oldIDs[d.id] = true
		}
		for _, d := range newDocs[page] {
			id, doc := d.make()
			if err := batch.Index(id, doc); err != nil {
				return nil, fmt.Errorf("index: %s: %w", id, err)
			}
			rewritten[id] = true
			fresh = append(fresh, d.passages()...)
			if oldIDs[id] {
				rep.DocsUpdated++
			} else {
				rep.DocsAdded++
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := st.idx.Batch(batch); err != nil {
		return nil, fmt.Errorf("index: writing batch: %w", err)
	}
	nm := newManifest(c)
	prev, _ := ReadVectors(live) // unreadable vectors are embedded again
	var vecs *Vectors
	if prev != nil && opts.Embedder != nil && prev.Model == opts.Embedder.ID() {
		// Only the documents written again are embedded (and of those, only the
		// passages whose text changed).
		vecs, err = embedDocuments(ctx, fresh, prev, opts, nm)
		if err == nil {
			vecs = prev.without(rewritten).with(vecs)
			nm.Semantic.Passages = vecs.Len()
		}
	} else {
		vecs, err = embedDocuments(ctx, allPassages(c), prev, opts, nm)
	}
	if err != nil {
		return nil, err
	}
	nm.BuildSeconds = time.Since(start).Seconds()
	if err := st.commit(ctx, c, nm, vecs); err != nil {
		return nil, err
	}
	rep.Manifest, rep.Took = nm, time.Since(start)
	return rep, nil
}

// pageDoc is a document of a page, made on demand (only touched pages are analysed).
type pageDoc struct {
	id       string
	make     func() (string, *document)
	passages func() []passage
}

// docsByPage lists each page's documents: a subtopic page holds its questions, an
// article page (blog/<slug>) its article.
func docsByPage(c *corpus.Corpus) map[string][]pageDoc {
	out := map[string][]pageDoc{}
	for _, s := range c.Subtopics {
		for i, q := range s.Questions {
			id := corpus.QuestionDocID(s, q)
			out[s.Path()] = append(out[s.Path()], pageDoc{id,
				func() (string, *document) { return questionDocument(s, i) },
				func() []passage { return []passage{{id, questionPassage(q)}} }})
		}
	}
	for _, a := range c.Articles {
		id := corpus.ArticleDocID(a)
		out["blog/"+a.Slug] = append(out["blog/"+a.Slug], pageDoc{id,
			func() (string, *document) { return articleDocument(c, a) },
			func() []passage {
				var ps []passage
				for _, t := range articlePassages(a) {
					ps = append(ps, passage{id, t})
				}
				return ps
			}})
	}
	return out
}

// pagesOfFile returns the pages whose documents depend on a corpus file: a subtopic
// file its page and the articles about it, a topic or framework file every page under
// it (their names are stored in each document), an article file its article.
func pagesOfFile(p string, c *corpus.Corpus) []string {
	parts := strings.Split(strings.TrimSuffix(strings.TrimSuffix(p, ".md"), ".yml"), "/")
	var fw, topic, sub string
	switch {
	case len(parts) == 4 && parts[0] == "qa":
		fw, topic, sub = parts[1], parts[2], parts[3]
	case len(parts) == 2 && parts[0] == "blog":
		return []string{"blog/" + parts[1]}
	case len(parts) == 2 && parts[0] == "frameworks":
		fw = parts[1]
	case len(parts) == 2 && parts[0] == "topics":
		for _, t := range c.Topics {
			if t.Framework+"-"+t.Slug == parts[1] {
				fw, topic = t.Framework, t.Slug
			}
		}
		if fw == "" {
			return nil
		}
	default:
		return nil
	}
	var pages []string
	for _, s := range c.Subtopics {
		if s.Framework == fw && (topic == "" || s.Topic == topic) && (sub == "" || s.Slug == sub) {
			pages = append(pages, s.Path())
		}
	}
	for _, a := range c.Articles {
		if a.Framework == fw && (topic == "" || a.Topic == topic) && (sub == "" || a.Subtopic == sub) {
			pages = append(pages, "blog/"+a.Slug)
		}
	}
	if sub != "" && !slices.Contains(pages, fw+"/"+topic+"/"+sub) {
		pages = append(pages, fw+"/"+topic+"/"+sub)
	}
	return pages
}

// copyTree copies a bleve directory. Segment files (*.zap) are immutable once written,
// so they are hard-linked when the file system allows; everything else is copied.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasSuffix(p, ".zap") {
			if err := os.Link(p, target); err == nil {
				return nil
			}
		}
		return copyFile(p, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
