package gen

import "strings"

// The vocabulary. Each list is in rough order of frequency, most common first, because
// words are drawn from it with a Zipf distribution over the position: the first words
// of a list make most of the text and the last ones are rare.

var nounWords = fields(`
value function type time code way data call case thread process object error memory
file system program result method class request server user state list key string
number order change point problem question answer name field line part rule example
loop test step version module package task event query table row column index page
value reference copy size limit set map array slice pointer variable argument parameter
return input output stream buffer channel message lock worker job queue client service
resource connection session token cache layer node tree graph edge path route handler
interface struct record entry item element component property attribute instance
scope closure context timeout deadline signal condition branch commit merge build
release image container cluster pod volume network port host address socket packet
header body payload response status code level mode option flag setting config
framework library dependency tool command shell script environment variable runtime
compiler interpreter parser lexer token tree node stack heap frame register word byte
bit integer float boolean character pattern expression statement block function
operator operand literal constant default count total sum average maximum minimum
range window batch chunk segment shard replica partition leader follower primary
schema migration transaction isolation snapshot journal log metric trace span alert
dashboard deployment rollout rollback release pipeline stage job artifact registry
account permission role policy secret key certificate signature hash digest salt
password credential identity tenant region zone provider vendor customer product
feature bug fix patch review branch tag label issue ticket milestone roadmap sprint
team owner author reader writer producer consumer publisher subscriber observer
listener callback promise future coroutine goroutine generator iterator decorator
wrapper adapter proxy facade factory builder singleton strategy visitor command
algorithm structure design architecture pattern principle trade cost benefit risk
performance latency throughput bandwidth capacity load pressure usage footprint
behaviour semantics guarantee invariant contract boundary assumption constraint
failure fault outage incident recovery retry backoff jitter budget quota rate
document article section chapter note comment description summary detail overview
machine core processor thread kernel syscall driver device disk file directory
folder volume mount drive storage database engine backend frontend browser page
view template style layout widget button form field input dialog modal screen
developer engineer programmer interviewer candidate company project product world
person people group member manager lead student teacher friend customer
day week month year hour minute second moment period interval cycle phase round
place area region side end start middle top bottom front back left right edge
idea reason fact detail difference choice decision solution approach strategy
experience knowledge skill practice habit lesson mistake success failure effort
question interview answer story scenario situation context background picture
`)

var verbWords = fields(`
use run call return make take get set give keep find show start stop need want
write read create build open close send receive handle check test change move copy
store load save print parse compile execute evaluate schedule block wait lock release
allocate free reuse share pass hold own borrow clone drop update delete insert select
join merge split sort filter map reduce group count match replace format encode decode
serialize validate sanitize escape render mount wrap unwrap catch throw raise recover
retry cancel abort close flush sync commit rollback publish subscribe emit listen
notify trigger register resolve reject await yield iterate traverse visit walk scan
index search rank score cache evict expire refresh invalidate compute measure profile
trace log debug inspect monitor deploy release scale shard replicate partition route
balance throttle limit queue buffer batch stream pipe fork spawn kill restart reload
configure install upgrade migrate import export declare define implement extend
override inherit compose inject mock stub assert verify compare convert cast coerce
infer check guard protect expose hide reveal explain describe mean matter happen
depend fail succeed break fix improve reduce increase avoid prefer allow prevent
ensure require support provide contain include exclude ignore skip repeat follow
lead produce consume generate transform combine separate collect gather distribute
`)

var adjWords = fields(`
new good same different other first last next simple small large long short high
low fast slow safe unsafe common rare useful important main single multiple local
global public private internal external static dynamic mutable immutable shared
concurrent parallel sequential synchronous asynchronous blocking lazy eager strict
loose weak strong stable unstable old modern standard custom generic specific
abstract concrete empty full null valid invalid correct wrong expensive cheap
hidden visible explicit implicit optional required default current previous final
initial temporary permanent persistent volatile atomic thread-safe idle busy hot cold
clean dirty raw nested flat deep shallow recursive iterative linear constant
logarithmic quadratic exponential naive clever subtle obvious tricky hard easy
heavy light tight narrow wide exact approximate unique duplicate ordered unordered
sorted random deterministic reproducible isolated distributed centralized remote
read-only writable idempotent pure functional declarative imperative reactive
typed untyped nullable primitive composite anonymous named bounded unbounded
`)

var advWords = fields(`
also only then often usually always never still just even already again instead
rather quickly slowly safely directly explicitly implicitly automatically manually
eventually immediately lazily eagerly concurrently sequentially internally
typically rarely simply exactly roughly mostly mainly finally currently
`)

// techWords are the terms an interview question is about; topics draw their keywords
// from them.
var techWords = fields(`
mutex semaphore deadlock race goroutine channel select thread pool executor future
promise async await coroutine event-loop callback closure decorator generator
iterator lambda recursion memoization hashing hashmap dictionary tuple vector
slice array linked-list heap stack queue deque trie graph tree bst btree index
transaction isolation lock mvcc snapshot replication sharding partition consistency
consensus raft paxos leader election quorum gossip heartbeat failover cache eviction
lru ttl invalidation cdn load-balancer proxy gateway rate-limiter token-bucket
backpressure circuit-breaker retry idempotency pagination cursor offset join subquery
window-function cte aggregate group-by having normalization denormalization schema
migration orm query-planner explain vacuum wal checkpoint fsync durability
ownership borrowing lifetime trait generic interface inheritance composition
polymorphism encapsulation abstraction dependency-injection singleton factory
observer middleware router handler controller component props state hook effect
memo context reducer reconciliation virtual-dom hydration rendering ssr bundler
transpiler webpack vite module import export namespace package crate gem npm pip
virtualenv dockerfile container image layer volume pod deployment service ingress
configmap secret namespace helm operator controller kubelet scheduler probe
liveness readiness autoscaling rebase cherry-pick bisect reflog stash submodule
hook merge-conflict fast-forward garbage-collection allocator escape-analysis
pointer reference nil null undefined optional enum union discriminated-union
type-guard type-inference variance covariance contravariance monad functor
serialization json protobuf grpc rest graphql websocket http tls dns tcp udp
socket latency throughput profiling benchmark flame-graph tracing logging metrics
unit-test integration-test mock fixture assertion coverage fuzzing property-test
regex parsing tokenizer lexer ast compiler interpreter bytecode jit vm runtime
stack-overflow memory-leak buffer-overflow sql-injection xss csrf cors oauth jwt
hashing salting encryption signing certificate rbac audit-log
`)

// prefixes and suffixes derive rarer words from the verb roots: reschedulable,
// unmarshaling, prefetcher. They make the long tail of the vocabulary.
var (
	wordPrefixes = fields(`re un pre de over sub inter auto co multi non mis post super`)
	wordSuffixes = fields(`er able ing ed ation ment ness ability ive ally ers ings`)
)

// Identifier parts: the words programmers name things with.
var identWords = fields(`
get set new make build create load save read write parse format handle process
run start stop open close init reset update delete insert find fetch send receive
user order item cart account session token request response client server conn
config options settings context cache store queue worker pool task job event
message buffer reader writer stream file path name id key value count size index
list map set tree node graph edge result error status state data info meta
http json sql db api auth log metric trace span timer clock retry limit rate
batch chunk page cursor offset total sum max min avg first last next prev
is has can should enabled valid ready done closed active pending
`)

var packageNames = fields(`
os io fs sync http json time math strings bytes bufio context errors sort heap
asyncio threading collections itertools functools typing pathlib logging re
std fmt net crypto rand regexp flag encoding base64 tokio serde rayon
java.util java.io java.nio react redux lodash express axios numpy pandas
`)

// Topic themes, used for topic names.
var topicThemes = []string{
	"Concurrency & Parallelism", "Memory Management", "Error Handling", "Testing & Mocking",
	"Data Structures", "Performance & Profiling", "Security", "Networking", "Modules & Packages",
	"Types & Generics", "Collections", "I/O & Files", "Databases & Storage", "Deployment",
	"Debugging", "Design Patterns", "Functions & Closures", "Classes & Objects",
	"Build & Tooling", "State Management", "Indexes & Query Plans", "Transactions",
	"Caching", "Observability", "Algorithms", "Strings & Text", "Iteration & Generators",
	"Serialization", "APIs & Protocols", "Scaling & Reliability", "Configuration",
	"Async Programming", "Runtime Internals", "Standard Library", "Syntax & Semantics",
	"Architecture", "Version Control", "Containers & Orchestration", "Rendering & UI",
	"Authentication & Authorization",
}

// Frameworks with a real name and the language of most of their code blocks.
var knownFrameworks = []struct{ name, lang string }{
	{"Python", "python"}, {"Go", "go"}, {"JavaScript", "javascript"}, {"SQL", "sql"},
	{"Rust", "rust"}, {"Java", "java"}, {"Bash & Linux", "bash"}, {"TypeScript", "javascript"},
	{"React", "javascript"}, {"Docker & Kubernetes", "bash"}, {"Git", "bash"},
	{"System Design", "python"}, {"Node.js", "javascript"}, {"PostgreSQL", "sql"},
	{"Django", "python"}, {"Spring", "java"}, {"Kotlin", "java"}, {"Tokio", "rust"},
	{"MySQL", "sql"}, {"Redis", "bash"}, {"Kafka", "java"}, {"Flask", "python"},
	{"Vue", "javascript"}, {"Terraform", "bash"}, {"Gin", "go"}, {"gRPC", "go"},
	{"Pandas", "python"}, {"NumPy", "python"}, {"Express", "javascript"}, {"SQLite", "sql"},
}

// codeLanguages are the fence tags of generated code blocks.
var codeLanguages = []string{"python", "go", "javascript", "sql", "rust", "java", "bash"}

var syllables = fields(`ka ri to ne mo sa li vo den tar mil quo zen pra bel cor ix ul fen dra gor
lux nov pel sim tav ver wyn yor zan bri cal`)

var synonymGroups = [][]string{
	{"gil", "global interpreter lock"}, {"js", "javascript"}, {"ts", "typescript"},
	{"py", "python"}, {"golang", "go"}, {"k8s", "kubernetes"}, {"db", "database"},
	{"fn", "function"}, {"ci", "continuous integration"}, {"lru", "least recently used"},
}

func fields(s string) []string { return dedupe(strings.Fields(s)) }

func dedupe(ws []string) []string {
	seen := make(map[string]bool, len(ws))
	out := ws[:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
