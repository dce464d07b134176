// Command k8s-strict checks rendered Kubernetes manifests (what `helm template` prints) against the
// Kubernetes API's Go types: each document is decoded strictly into the published type of its
// apiVersion and kind (k8s.io/api; prometheus-operator's ServiceMonitor; KEDA's ScaledObject and
// TriggerAuthentication as written in keda.go), so an unknown, misspelt or duplicated field, a value
// of the wrong type, an unknown kind or a missing required field fails. Then a few of the API
// server's validation rules and the references between the objects (see validate.go).
//
//	helm template ... | k8s-strict [-json] [-external-secrets a,b] [file...]
//
// Exit status 0: every object passed; 1: problems (listed on stderr); 2: the input could not be read.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	asJSON := flag.Bool("json", false, "print the result as one JSON object on stdout")
	external := flag.String("external-secrets", "", "comma-separated names of Secrets that exist outside the input")
	flag.Parse()

	options := Options{}
	for _, name := range strings.Split(*external, ",") {
		if name = strings.TrimSpace(name); name != "" {
			options.ExternalSecrets = append(options.ExternalSecrets, name)
		}
	}
	var input io.Reader = os.Stdin
	if flag.NArg() > 0 {
		var readers []io.Reader
		for _, path := range flag.Args() {
			file, err := os.Open(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			defer file.Close()
			// A separator between files, so the last document of one never runs into the next.
			readers = append(readers, file, strings.NewReader("\n---\n"))
		}
		input = io.MultiReader(readers...)
	}
	result, err := Check(input, options)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(map[string]any{
			"objects":      len(result.Objects),
			"kinds":        result.Kinds(),
			"problems":     nonNil(result.Problems),
			"environments": Environments(result.Objects),
		})
	} else {
		fmt.Println(Summary(result))
	}
	for _, problem := range result.Problems {
		fmt.Fprintln(os.Stderr, "problem: "+problem)
	}
	if len(result.Problems) > 0 {
		os.Exit(1)
	}
}

// Summary: "24 objects (ConfigMap 6, Deployment 5, ...), 0 problems".
func Summary(result *Result) string {
	kinds := result.Kinds()
	names := make([]string, 0, len(kinds))
	for kind := range kinds {
		names = append(names, kind)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, kind := range names {
		parts = append(parts, fmt.Sprintf("%s %d", kind, kinds[kind]))
	}
	return fmt.Sprintf("%d objects (%s), %d problems", len(result.Objects), strings.Join(parts, ", "), len(result.Problems))
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
