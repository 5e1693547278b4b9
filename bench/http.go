package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var servingRE = regexp.MustCompile(`addr=(http://[^ ]+)`)

// serveBench starts `qdex serve` on the index, measures /api/search at each
// concurrency level, reads the process's memory and stops it.
func serveBench(ctx context.Context, cfg Config, res *Size, ixDir string, qs []Query, dur time.Duration) error {
	start := time.Now()
	// One load generator is one client: the rate limit is off for it.
	cmd := exec.CommandContext(ctx, cfg.QdexBinary, "serve", "--index", ixDir, "--addr", "127.0.0.1:0", "--rate-limit", "0")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 20 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	pid := cmd.Process.Pid
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()

	// The address is in the "serving" log line; the rest of the log (one line per
	// request) is read and dropped, so that the server never blocks on it.
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		var head []string
		for sc.Scan() {
			if found {
				continue
			}
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				found = true
				addrc <- m[1]
				continue
			}
			head = append(head, sc.Text())
		}
		if !found {
			addrc <- "error: " + strings.Join(head, "; ")
		}
		io.Copy(io.Discard, stderr)
	}()
	var base string
	select {
	case base = <-addrc:
	case <-time.After(10 * time.Minute):
		return errors.New("qdex serve did not start")
	}
	if strings.HasPrefix(base, "error: ") {
		return fmt.Errorf("qdex serve: %s", strings.TrimPrefix(base, "error: "))
	}

	client := newLoadClient()
	if err := waitReady(ctx, client, base); err != nil {
		return err
	}
	res.ServeReady = time.Since(start)
	res.RSSOpen = procStatus(pid, "VmRSS")
	res.AnonOpen, res.FileOpen = procStatus(pid, "RssAnon"), procStatus(pid, "RssFile")
	stopSampling := sampleMemory(pid, &res.AnonPeak, &res.FilePeak)
	cfg.logf("%d: qdex serve ready at %s in %s, RSS %s", res.Questions, base, res.ServeReady.Round(time.Millisecond), mb(res.RSSOpen))

	urls := searchURLs(base, qs)
	warmUp(client, urls, 5*time.Second)
	for _, clients := range cfg.Clients {
		run := load(ctx, client, urls, clients, dur)
		res.HTTP = append(res.HTTP, run)
		cfg.logf("%d: http %d clients: %.0f/s, p50 %s p99 %s, %d errors", res.Questions, clients, run.PerSec,
			run.Latency.P50, run.Latency.P99, run.Errors)
	}
	stopSampling()
	res.RSSPeak = procStatus(pid, "VmHWM")
	return ctx.Err()
}

// sampleMemory records the highest anonymous and file-backed resident memory of the
// process every 50 ms, until stopped.
func sampleMemory(pid int, anon, file *int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			*anon = max(*anon, procStatus(pid, "RssAnon"))
			*file = max(*file, procStatus(pid, "RssFile"))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// Load measures the qdex server at base with clients concurrent loops of the
// workload's searches for d, after a warm-up of every query once (at most warm).
func Load(ctx context.Context, base string, qs []Query, clients int, d, warm time.Duration) (HTTPRun, error) {
	client := newLoadClient()
	if err := waitReady(ctx, client, base); err != nil {
		return HTTPRun{}, err
	}
	urls := searchURLs(base, qs)
	warmUp(client, urls, warm)
	return load(ctx, client, urls, clients, d), nil
}

// waitReady returns once the server at base answers /readyz with 200.
func waitReady(ctx context.Context, client *http.Client, base string) error {
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s not ready: %w", base, ctx.Err())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// newLoadClient is an HTTP client that keeps a connection per concurrent client.
func newLoadClient() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true,
			IdleConnTimeout: time.Minute,
		},
	}
}

// searchURLs are the workload's searches as /api/search URLs of the server at base.
func searchURLs(base string, qs []Query) []string {
	urls := make([]string, len(qs))
	for i, q := range qs {
		urls[i] = base + "/api/search?" + q.URLValues().Encode()
	}
	return urls
}

// warmUp requests every URL once, not measured, for at most d.
func warmUp(client *http.Client, urls []string, d time.Duration) {
	start := time.Now()
	for _, u := range urls {
		if time.Since(start) > d {
			break
		}
		get(client, u)
	}
}

func get(client *http.Client, u string) error {
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return err
}

// load runs clients concurrent loops of requests for d, each request the next URL.
func load(ctx context.Context, client *http.Client, urls []string, clients int, d time.Duration) HTTPRun {
	var next atomic.Int64
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var firstErr string
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			var e string
			for time.Now().Before(deadline) && ctx.Err() == nil {
				u := urls[int(next.Add(1)-1)%len(urls)]
				t := time.Now()
				err := get(client, u)
				mine = append(mine, time.Since(t))
				if err != nil {
					bad++
					if e == "" {
						e = err.Error()
					}
				}
			}
			mu.Lock()
			all = append(all, mine...)
			errs += bad
			if firstErr == "" {
				firstErr = e
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	lat := summarize(all)
	lat.Errors, lat.FirstError = errs, firstErr
	return HTTPRun{Clients: clients, Duration: elapsed, Requests: len(all), Errors: errs,
		PerSec: float64(len(all)-errs) / elapsed.Seconds(), Latency: lat}
}

// procStatus reads a memory figure (VmRSS, VmHWM) of a process, in bytes.
func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n * 1024
			}
		}
	}
	return 0
}
