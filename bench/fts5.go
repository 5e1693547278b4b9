//go:build fts5

package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the sqlite3 driver, with FTS5 under the fts5 tag

	"qdex/corpus"
	"qdex/indexer"
)

// FTS5Available is true when the program was built with -tags fts5.
const FTS5Available = true

// The peer index: one FTS5 table with the same text fields as qdex's documents (question,
// answer prose, code, context) and the facet fields as unindexed columns, Porter
// stemming over the unicode61 tokenizer, bm25 ranking weighted towards the question.
const ftsSchema = `CREATE VIRTUAL TABLE docs USING fts5(
	question, answer, code, context,
	id UNINDEXED, framework UNINDEXED, topic UNINDEXED, difficulty UNINDEXED,
	lang UNINDEXED, type UNINDEXED,
	tokenize = 'porter unicode61')`

// ftsBuild indexes the corpus into a new database at path, as qdex's indexer does:
// each question and article is one row, its Markdown split into prose and code.
func ftsBuild(ctx context.Context, c *corpus.Corpus, path string) (int, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, ftsSchema); err != nil {
		return 0, fmt.Errorf("fts5: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO docs(question, answer, code, context, id, framework, topic, difficulty, lang, type) VALUES (?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return 0, err
	}
	n := 0
	pages := map[string]*corpus.Subtopic{}
	for _, s := range c.Subtopics {
		pages["/"+s.Path()] = s
		for _, q := range s.Questions {
			ex := indexer.ExtractText(q.A)
			_, err := ins.ExecContext(ctx, q.Q, ex.Prose, ex.CodeText(),
				s.FrameworkName+"\n"+s.TopicName+"\n"+s.Name,
				corpus.QuestionDocID(s, q), s.Framework, s.Topic, q.Difficulty,
				strings.Join(ex.Languages(), " "), indexer.TypeQuestion)
			if err != nil {
				return n, err
			}
			n++
		}
	}
	for _, a := range c.Articles {
		ex := indexer.ExtractText(a.Body)
		ctxt := a.Description
		if s := pages[a.QAPath]; s != nil {
			ctxt += "\n" + s.FrameworkName + "\n" + s.TopicName + "\n" + s.Name
		}
		_, err := ins.ExecContext(ctx, a.Title, ex.Prose, ex.CodeText(), ctxt,
			corpus.ArticleDocID(a), a.Framework, a.Topic, a.Difficulty,
			strings.Join(ex.Languages(), " "), indexer.TypeArticle)
		if err != nil {
			return n, err
		}
		n++
	}
	if err := tx.Commit(); err != nil {
		return n, err
	}
	for _, stmt := range []string{
		`INSERT INTO docs(docs) VALUES('optimize')`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
		`PRAGMA journal_mode=DELETE`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return n, fmt.Errorf("fts5: %s: %w", stmt, err)
		}
	}
	return n, nil
}

// ftsIndex is an open FTS5 database, searched one query at a time.
type ftsIndex struct {
	db    *sql.DB
	stmts map[string]*sql.Stmt
}

func ftsOpen(path string) (*ftsIndex, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	f := &ftsIndex{db: db, stmts: map[string]*sql.Stmt{}}
	// Ready means the schema is read and the statements of plain queries prepared.
	if _, err := f.stmt(topSQL, nil); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := f.stmt(facetSQL, nil); err != nil {
		db.Close()
		return nil, err
	}
	return f, nil
}

func (f *ftsIndex) Close() error { return f.db.Close() }

const (
	// topSQL is one page of hits: bm25-ranked, with highlighted snippets of the
	// question, answer and code, as qdex's hits have.
	topSQL = `SELECT id, highlight(docs, 0, '<mark>', '</mark>'),
	snippet(docs, 1, '<mark>', '</mark>', '…', 24), snippet(docs, 2, '<mark>', '</mark>', '…', 12)
	FROM docs WHERE docs MATCH ?%s ORDER BY bm25(docs, 4.0, 1.0, 1.0, 0.5) LIMIT 10`
	// facetSQL reads the facet fields of every match, to count the total and the
	// facets as qdex does.
	facetSQL = `SELECT framework, topic, difficulty, lang, type FROM docs WHERE docs MATCH ?%s`
)

func (f *ftsIndex) stmt(tmpl string, where []string) (*sql.Stmt, error) {
	cond := ""
	for _, w := range where {
		cond += " AND " + w
	}
	s := fmt.Sprintf(tmpl, cond)
	if st, ok := f.stmts[s]; ok {
		return st, nil
	}
	st, err := f.db.Prepare(s)
	if err != nil {
		return nil, fmt.Errorf("fts5: %w", err)
	}
	f.stmts[s] = st
	return st, nil
}

// Search runs the query's page of hits and, with facets, its counts; it returns the
// number of matching documents (with facets) or of hits on the page.
func (f *ftsIndex) Search(ctx context.Context, q Query, facets bool) (int, error) {
	args := append([]any{q.Match}, q.Args...)
	st, err := f.stmt(topSQL, q.Where)
	if err != nil {
		return 0, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return 0, fmt.Errorf("fts5 %s: %w", q.Match, err)
	}
	hits := 0
	var id, question, answer, code string
	for rows.Next() {
		if err := rows.Scan(&id, &question, &answer, &code); err != nil {
			rows.Close()
			return 0, err
		}
		hits++
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if !facets {
		return hits, nil
	}
	st, err = f.stmt(facetSQL, q.Where)
	if err != nil {
		return 0, err
	}
	rows, err = st.QueryContext(ctx, args...)
	if err != nil {
		return 0, fmt.Errorf("fts5 %s: %w", q.Match, err)
	}
	defer rows.Close()
	counts := [5]map[string]int{{}, {}, {}, {}, {}}
	var vals [5]string
	total := 0
	for rows.Next() {
		if err := rows.Scan(&vals[0], &vals[1], &vals[2], &vals[3], &vals[4]); err != nil {
			return 0, err
		}
		total++
		for i, v := range vals {
			if i == 3 {
				for _, l := range strings.Fields(v) {
					counts[i][l]++
				}
				continue
			}
			counts[i][v]++
		}
	}
	return total, rows.Err()
}

// ftsVersion is SQLite's version.
func ftsVersion() string {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT sqlite_version()`).Scan(&v); err != nil {
		return "?"
	}
	return v
}
