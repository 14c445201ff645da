package breadbox

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsFlowOneWay enforces the layering cmd → rest → graph → internal
// and ent: no package imports a layer above its own.
func TestImportsFlowOneWay(t *testing.T) {
	const module = "github.com/breadbox/breadbox/"
	output, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list failed: %v\n%s", err, output)
	}

	// forbidden maps a package prefix to the prefixes it must not import.
	forbidden := map[string][]string{
		"ent/schema": {"graph", "rest", "cmd"},
		"ent":        {"graph", "rest", "cmd"},
		"internal":   {"graph", "rest", "cmd"},
		"graph":      {"rest", "cmd"},
		"rest":       {"cmd"},
		"migrate":    {"graph", "rest", "cmd"},
	}

	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(output)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(pkg, module)
		for prefix, banned := range forbidden {
			if pkg != prefix && !strings.HasPrefix(pkg, prefix+"/") {
				continue
			}
			checked++
			for _, imported := range strings.Fields(imports) {
				local, ok := strings.CutPrefix(imported, module)
				if !ok {
					continue
				}
				for _, layer := range banned {
					if local == layer || strings.HasPrefix(local, layer+"/") {
						t.Errorf("%s imports %s: imports must flow cmd → rest → graph → internal and ent", pkg, local)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no package was checked; the go list output format changed")
	}
}
