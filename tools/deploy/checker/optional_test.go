package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The API marks optional fields with a `+optional` comment; a few of them have no omitempty in
// their JSON tag, which missingRequired would take for required. This test reads the sources of
// the pinned modules and checks that optionalWithoutOmitempty lists exactly those fields.
func TestOptionalFieldsAreKnown(t *testing.T) {
	packages := map[string]string{
		"k8s.io/api/core/v1":                   "k8s.io/api",
		"k8s.io/api/apps/v1":                   "k8s.io/api",
		"k8s.io/api/batch/v1":                  "k8s.io/api",
		"k8s.io/api/policy/v1":                 "k8s.io/api",
		"k8s.io/api/autoscaling/v2":            "k8s.io/api",
		"k8s.io/api/networking/v1":             "k8s.io/api",
		"k8s.io/api/rbac/v1":                   "k8s.io/api",
		"k8s.io/apimachinery/pkg/apis/meta/v1": "k8s.io/apimachinery",
		"github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1": "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring",
	}
	found := map[string]bool{}
	for pkg, module := range packages {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
		if err != nil {
			t.Fatalf("go list -m %s: %v", module, err)
		}
		dir := filepath.Join(strings.TrimSpace(string(out)), strings.TrimPrefix(pkg, module))
		parsed, err := parser.ParseDir(token.NewFileSet(), dir, func(info fs.FileInfo) bool {
			return !strings.HasSuffix(info.Name(), "_test.go")
		}, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parsed {
			for _, file := range p.Files {
				ast.Inspect(file, func(node ast.Node) bool {
					spec, ok := node.(*ast.TypeSpec)
					if !ok {
						return true
					}
					structType, ok := spec.Type.(*ast.StructType)
					if !ok {
						return true
					}
					for _, field := range structType.Fields.List {
						if field.Tag == nil || field.Doc == nil || !strings.Contains(field.Doc.Text(), "+optional") {
							continue
						}
						tag := reflect.StructTag(strings.Trim(field.Tag.Value, "`")).Get("json")
						name, options, _ := strings.Cut(tag, ",")
						if name == "" || name == "-" || strings.Contains(options, "omitempty") || strings.Contains(options, "omitzero") || strings.Contains(options, "inline") {
							continue
						}
						found[pkg+"."+spec.Name.Name+"."+name] = true
					}
					return true
				})
			}
		}
	}
	var missing, stale []string
	for key := range found {
		if !optionalWithoutOmitempty[key] {
			missing = append(missing, key)
		}
	}
	for key := range optionalWithoutOmitempty {
		if !found[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 || len(stale) > 0 {
		t.Errorf("optionalWithoutOmitempty is out of date:\nadd:\n\t%q: true,\nremove: %q", strings.Join(missing, "\": true,\n\t\""), stale)
	}
}
