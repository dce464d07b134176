package main

import (
	"os"
	"strings"
	"testing"
)

func checkText(t *testing.T, text string, options Options) *Result {
	t.Helper()
	result, err := Check(strings.NewReader(text), options)
	if err != nil {
		t.Fatal(err)
	}
	return result
}

func valid(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestValidObjectsPass(t *testing.T) {
	result := checkText(t, valid(t), Options{})
	if len(result.Problems) > 0 || len(result.Objects) != 3 {
		t.Fatalf("want 3 objects and no problem, got %d: %v", len(result.Objects), result.Problems)
	}
	if got := Summary(result); got != "3 objects (ConfigMap 1, Deployment 1, ScaledObject 1), 0 problems" {
		t.Errorf("summary %q", got)
	}
}

// The negative test deploy:check relies on: a field the API does not have fails, named by its path.
func TestUnknownFieldFails(t *testing.T) {
	data, err := os.ReadFile("testdata/unknown-field.yaml")
	if err != nil {
		t.Fatal(err)
	}
	result := checkText(t, string(data), Options{})
	want := `unknown field "spec.template.spec.containers[0].terminationGracePeriodSeconds"`
	if len(result.Problems) != 1 || !strings.Contains(result.Problems[0], want) {
		t.Fatalf("want one problem naming %s, got %v", want, result.Problems)
	}
}

func TestEachBreakageFails(t *testing.T) {
	cases := []struct{ name, from, to, want string }{
		{"missing required field", "        - name: writer\n          image", "        - image", `required field "spec.template.spec.containers[0].name" is missing`},
		{"wrong type", `containerPort: 8181`, `containerPort: "8181"`, "cannot unmarshal string"},
		{"case matters", "  selector:\n", "  Selector:\n", `unknown field "spec.Selector"`},
		{"duplicate key", "  maxReplicaCount: 6\n", "  maxReplicaCount: 6\n  maxReplicaCount: 7\n", "already set in map"},
		{"KEDA metadata values are strings", "lagThreshold: '100'", "lagThreshold: 100", "cannot unmarshal number"},
		{"KEDA unknown field", "  maxReplicaCount: 6\n", "  maxReplicas: 6\n", `unknown field "spec.maxReplicas"`},
		{"KEDA required field", "  scaleTargetRef: { name: writer }\n", "", `required field "spec.scaleTargetRef" is missing`},
		{"unknown kind", "kind: ConfigMap", "kind: ConfigMapp", "no Go API type known"},
		{"selector must match", "      labels: { app: writer }\n    spec:", "      labels: { app: other }\n    spec:", "does not match spec.template.metadata.labels"},
		{"name must be DNS", "  name: writer\n  labels", "  name: Writer_1\n  labels", `metadata.name "Writer_1"`},
		{"probe port must exist", "port: http }", "port: metrics }", `"metrics" is not a port of the container`},
		{"references must resolve", "configMapRef: { name: writer }", "configMapRef: { name: missing }", `no ConfigMap "missing"`},
		{"scale target must be rendered", "scaleTargetRef: { name: writer }", "scaleTargetRef: { name: other }", `no Deployment "other"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := valid(t)
			if !strings.Contains(text, c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			result := checkText(t, strings.Replace(text, c.from, c.to, 1), Options{})
			joined := strings.Join(result.Problems, "\n")
			if !strings.Contains(joined, c.want) {
				t.Fatalf("want a problem with %q, got:\n%s", c.want, joined)
			}
		})
	}
}

func TestExternalSecretsAreAccepted(t *testing.T) {
	text := strings.Replace(valid(t), "- configMapRef: { name: writer }", "- configMapRef: { name: writer }\n            - secretRef: { name: credentials }", 1)
	if problems := checkText(t, text, Options{}).Problems; len(problems) != 1 {
		t.Fatalf("an unknown Secret must be reported, got %v", problems)
	}
	if problems := checkText(t, text, Options{ExternalSecrets: []string{"credentials"}}).Problems; len(problems) != 0 {
		t.Fatalf("a declared external Secret is fine, got %v", problems)
	}
}
