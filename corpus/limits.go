package corpus

// Limits on what one corpus may hold. A corpus comes from writers the server trusts
// less than itself: every limit is checked while the file is read, so that no file
// can make a build, an index or an open of it take unbounded time or memory. A file
// past a limit fails alone, like any other bad file.
const (
	MaxFileBytes        = 4 << 20   // any file the corpus reads
	MaxQuestionsPerFile = 2000      // questions on one subtopic page
	MaxAnswerBytes      = 128 << 10 // one answer's Markdown (an article's body: MaxFileBytes)
	MaxIDBytes          = 128       // a question id
	MaxSynonymGroup     = 50        // terms in one synonym group
	MaxSynonymTermBytes = 100       // bytes of one synonym term
	MaxSynonymTerms     = 20000     // synonym terms in the whole corpus
)
