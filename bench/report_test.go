package bench

import (
	"debug/elf"
	"debug/gosym"
	"os"
	"testing"
)

// TestShareRowsNameFunctions: every function the profile summaries look up is in the
// binary, which links the code the benchmark profiles. A row left naming a function
// that was renamed or removed would report nothing.
func TestShareRowsNameFunctions(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Skipf("not an ELF binary: %v", err)
	}
	defer f.Close()
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		t.Skip("no function table in the binary")
	}
	data, err := pcln.Data()
	if err != nil {
		t.Fatal(err)
	}
	table, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]bool{}
	for _, fn := range table.Funcs {
		linked[fn.Name] = true
	}
	for kind, rows := range shareRows {
		for _, r := range rows {
			if !linked[r.fn] {
				t.Errorf("%s profile, %q: %s is not a function of the binary", kind, r.label, r.fn)
			}
		}
	}
}
