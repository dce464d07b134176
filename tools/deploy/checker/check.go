package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// builtin knows the published Go types of the API groups a chart may render.
var builtin = runtime.NewScheme()

func init() {
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, policyv1.AddToScheme,
		autoscalingv2.AddToScheme, networkingv1.AddToScheme, rbacv1.AddToScheme, monitoringv1.AddToScheme,
	} {
		if err := add(builtin); err != nil {
			panic(err)
		}
	}
}

// Object is one decoded document of the input.
type Object struct {
	Source string // the `# Source:` comment helm template writes above each document
	GVK    schema.GroupVersionKind
	Name   string
	Typed  any
}

func (o Object) String() string {
	return fmt.Sprintf("%s %q (%s)", o.GVK.Kind, o.Name, o.Source)
}

// Result is what one input held and what is wrong with it.
type Result struct {
	Objects  []Object
	Problems []string
}

// Kinds counts the objects by kind, e.g. {"Deployment": 5}.
func (r *Result) Kinds() map[string]int {
	kinds := map[string]int{}
	for _, o := range r.Objects {
		kinds[o.GVK.Kind]++
	}
	return kinds
}

// Options says what the input may refer to without rendering it.
type Options struct {
	// Secrets that exist in the cluster already (an existingSecret): references to them are fine.
	ExternalSecrets []string
}

var sourceLine = regexp.MustCompile(`(?m)^# Source: (.+)$`)

// Check decodes every document of r (multi-document YAML, as `helm template` prints it) into its
// Go API type with unknown and duplicate fields refused, checks the required fields of every object
// present, then the references between the objects.
func Check(r io.Reader, options Options) (*Result, error) {
	result := &Result{}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for index := 1; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading document %d: %w", index, err)
		}
		source := fmt.Sprintf("document %d", index)
		if match := sourceLine.FindSubmatch(doc); match != nil {
			source = string(match[1])
		}
		if isBlank(doc) {
			continue
		}
		object, problems := decode(doc, source)
		result.Problems = append(result.Problems, problems...)
		if object != nil {
			result.Objects = append(result.Objects, *object)
		}
	}
	result.Problems = append(result.Problems, crossCheck(result.Objects, options)...)
	return result, nil
}

// isBlank: only comments, separators and white space.
func isBlank(doc []byte) bool {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' && !bytes.Equal(line, []byte("---")) {
			return false
		}
	}
	return true
}

func decode(doc []byte, source string) (*Object, []string) {
	fail := func(format string, args ...any) []string {
		return []string{fmt.Sprintf("%s: %s", source, fmt.Sprintf(format, args...))}
	}
	// Duplicate keys in the YAML itself are refused here (the JSON decoder would keep the last).
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return nil, fail("not valid YAML: %v", err)
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fail("not a Kubernetes object: %v", err)
	}
	if head.APIVersion == "" || head.Kind == "" {
		return nil, fail("apiVersion and kind are required")
	}
	gv, err := schema.ParseGroupVersion(head.APIVersion)
	if err != nil {
		return nil, fail("apiVersion %q: %v", head.APIVersion, err)
	}
	gvk := gv.WithKind(head.Kind)
	typed, err := newTyped(gvk)
	if err != nil {
		return nil, fail("%v", err)
	}
	label := fmt.Sprintf("%s: %s %q", source, head.Kind, head.Metadata.Name)
	var problems []string
	// The API server's own strict decoding: case-sensitive keys, unknown and duplicate fields listed.
	strict, err := sigsjson.UnmarshalStrict(data, typed, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: does not decode into %T: %v", label, typed, err)}
	}
	for _, e := range strict {
		problems = append(problems, fmt.Sprintf("%s: %v", label, e))
	}
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fail("%v", err)
	}
	for _, missing := range missingRequired(typed, raw) {
		problems = append(problems, fmt.Sprintf("%s: required field %q is missing", label, missing))
	}
	object := &Object{Source: source, GVK: gvk, Name: head.Metadata.Name, Typed: typed}
	for _, p := range validate(object) {
		problems = append(problems, fmt.Sprintf("%s: %s", label, p))
	}
	return object, problems
}

func newTyped(gvk schema.GroupVersionKind) (any, error) {
	if make, ok := customKinds[gvk]; ok {
		return make(), nil
	}
	if builtin.Recognizes(gvk) {
		return builtin.New(gvk)
	}
	return nil, fmt.Errorf("no Go API type known for apiVersion %q, kind %q (known: %s)",
		gvk.GroupVersion().String(), gvk.Kind, strings.Join(knownKinds(), ", "))
}

func knownKinds() []string {
	var kinds []string
	for gvk := range customKinds {
		kinds = append(kinds, gvk.GroupVersion().String()+" "+gvk.Kind)
	}
	for _, gvk := range []schema.GroupVersionKind{
		corev1.SchemeGroupVersion.WithKind("*"), appsv1.SchemeGroupVersion.WithKind("*"),
		batchv1.SchemeGroupVersion.WithKind("*"), policyv1.SchemeGroupVersion.WithKind("*"),
		autoscalingv2.SchemeGroupVersion.WithKind("*"), networkingv1.SchemeGroupVersion.WithKind("*"),
		rbacv1.SchemeGroupVersion.WithKind("*"), monitoringv1.SchemeGroupVersion.WithKind("*"),
	} {
		kinds = append(kinds, gvk.GroupVersion().String()+" *")
	}
	sort.Strings(kinds)
	return kinds
}
