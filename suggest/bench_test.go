package suggest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// realWords lead the synthetic vocabulary, so that it has the common words and
// prefixes of the real corpus.
var realWords = strings.Fields(`the a how what is of to in and do you does why when with
for vs between difference go python java rust react sql git docker kubernetes thread
goroutine channel mutex lock async await promise closure function class interface
error exception memory garbage collector pointer slice map array list string index
query join transaction isolation deadlock race condition context cancel timeout
select buffer stream iterator generator decorator hook state effect component render
commit branch merge rebase container image pod deployment service cache database
asyncio.gather utf8 http2 python3 leak scheduler runtime compile borrow lifetime trait`)

// synthetic makes a corpus of the size asked for: titles of 5 to 14 words and
// queries of 1 to 4, drawn from a vocabulary of real and made-up words, common
// words far more often than rare ones.
func synthetic(nTitles, nQueries int) ([]Title, []Query) {
	r := rand.New(rand.NewPCG(1, 2))
	vocab := append([]string(nil), realWords...)
	seen := map[string]bool{}
	for _, w := range vocab {
		seen[w] = true
	}
	onsets := strings.Fields("b c d f g h j k l m n p r s t v w z br ch cl cr dr fl gr pl pr sh st str th tr")
	vowels := strings.Fields("a e i o u ai ea ee io ou")
	codas := []string{"", "", "n", "r", "s", "t", "l", "ng", "ck", "x"}
	for len(vocab) < 8000 {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(onsets[r.IntN(len(onsets))] + vowels[r.IntN(len(vowels))] + codas[r.IntN(len(codas))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	phrase := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	starts := []string{"How do you", "What is", "Why does", "When should you use", "Explain", "What happens when"}
	titles := make([]Title, nTitles)
	for i := range titles {
		text := starts[r.IntN(len(starts))] + " " + phrase(3+r.IntN(9)) + "?"
		titles[i] = Title{Text: strings.ToUpper(text[:1]) + text[1:], ID: fmt.Sprintf("t/%d", i), URL: fmt.Sprintf("/q/t/%d", i)}
	}
	queries := make([]Query, nQueries)
	for i := range queries {
		queries[i] = Query{Text: phrase(1 + r.IntN(4)), Searches: 1 + 5000/(i+1), Results: 1 + r.IntN(40)}
	}
	return titles, queries
}

// benchInputs is what readers type: short and long prefixes of words from the
// corpus, words with a typo, several words, and words the corpus lacks.
func benchInputs(titles []Title, queries []Query, n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	pick := func() []string {
		if r.IntN(2) == 0 {
			return strings.Fields(normalize(queries[r.IntN(len(queries))].Text))
		}
		return strings.Fields(normalize(titles[r.IntN(len(titles))].Text))
	}
	typo := func(w string) string {
		if len(w) < 5 {
			return w
		}
		i := 1 + r.IntN(len(w)-2)
		return w[:i] + w[i+1:i+2] + w[i:i+1] + w[i+2:]
	}
	out := make([]string, 0, n)
	for len(out) < n {
		ws := pick()
		w := ws[r.IntN(len(ws))]
		var in string
		switch r.IntN(8) {
		case 0:
			in = w[:1]
		case 1:
			in = w[:min(2, len(w))]
		case 2:
			in = w[:max(1, len(w)*2/3)]
		case 3:
			in = typo(w)
		case 4:
			k := 1 + r.IntN(len(ws))
			last := ws[k-1]
			in = strings.Join(ws[:k-1], " ") + " " + last[:max(1, len(last)/2)]
		case 5:
			in = typo(ws[0]) + " " + ws[len(ws)-1][:1]
		case 6:
			in = w + " zqxv"
		default:
			in = strings.Join(ws, " ") + " "
		}
		out = append(out, in)
	}
	return out
}

func BenchmarkComplete(b *testing.B) {
	titles, queries := synthetic(5000, 10000)
	s := New(titles, queries, nil)
	r := rand.New(rand.NewPCG(5, 6))
	var typos, whole []string
	for range 200 {
		ws := strings.Fields(normalize(titles[r.IntN(len(titles))].Text))
		whole = append(whole, strings.Join(ws, " ")+" ")
		w := ws[len(ws)-1]
		if len(w) >= 6 {
			typos = append(typos, w[:2]+w[3:4]+w[2:3]+w[4:]) // two letters swapped
		}
	}
	sets := []struct {
		name   string
		inputs []string
	}{
		{"mixed", benchInputs(titles, queries, 500)},
		{"one-letter", strings.Fields("a b c d g h i s t w")},
		{"typo", typos},
		{"whole-title", whole},
	}
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.Complete(set.inputs[i%len(set.inputs)], 8)
				i++
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	titles, queries := synthetic(5000, 10000)
	b.ReportAllocs()
	for b.Loop() {
		New(titles, queries, nil)
	}
}
