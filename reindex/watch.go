package reindex

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watch rebuilds whenever corpus files change, once they have been quiet for the
// debounce interval, until ctx ends. New subdirectories are watched as they appear.
func (r *Rebuilder) Watch(ctx context.Context) error {
	if r.cfg.Data == "" {
		return ErrNoCorpus
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := addTree(w, r.cfg.Data); err != nil {
		return err
	}
	r.mu.Lock()
	r.watching = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.watching = false
		r.mu.Unlock()
	}()
	r.log.Info("watching corpus", "dir", r.cfg.Data)

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					addTree(w, ev.Name)
				}
			}
			if relevant(ev.Name) {
				timer.Reset(r.cfg.Debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			r.log.Warn("watching corpus", "error", err)
		case <-timer.C:
			r.Rebuild(ctx, "watch")
		}
	}
}

// relevant ignores editors' swap and backup files.
func relevant(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") {
		return false
	}
	return true
}

func addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a directory that vanished meanwhile
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return w.Add(p)
		}
		return nil
	})
}
