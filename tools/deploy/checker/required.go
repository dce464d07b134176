package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// optionalWithoutOmitempty lists the fields of the types this checker knows that the API marks
// `+optional` although their JSON tag has no omitempty (found by scanning the k8s.io/api and
// prometheus-operator sources of the pinned versions by TestOptionalFieldsAreKnown, which fails
// when this list and the sources part). Keyed "<package path>.<Type>.<json name>".
var optionalWithoutOmitempty = map[string]bool{}

type jsonField struct {
	name     string
	typ      reflect.Type
	required bool
	owner    string
}

// fieldsOf lists the JSON fields of a struct type, inline (embedded, unnamed) structs flattened.
func fieldsOf(t reflect.Type) []jsonField {
	var fields []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, options, _ := strings.Cut(tag, ",")
		inline := f.Anonymous && name == ""
		if inline {
			embedded := f.Type
			if embedded.Kind() == reflect.Pointer {
				embedded = embedded.Elem()
			}
			if embedded.Kind() == reflect.Struct {
				fields = append(fields, fieldsOf(embedded)...)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		optional := false
		for _, option := range strings.Split(options, ",") {
			if option == "omitempty" || option == "omitzero" || option == "inline" {
				optional = true
			}
		}
		if optionalWithoutOmitempty[t.PkgPath()+"."+t.Name()+"."+name] {
			optional = true
		}
		fields = append(fields, jsonField{name: name, typ: f.Type, required: !optional, owner: t.Name()})
	}
	return fields
}

// missingRequired walks the decoded JSON along the Go type and returns the paths of the required
// fields (JSON tag without omitempty, the Kubernetes API convention) that an object which is
// present lacks. Only what is present is walked: an absent optional block is not looked into.
func missingRequired(typed any, raw any) []string {
	var missing []string
	walk(reflect.TypeOf(typed), raw, "", &missing)
	sort.Strings(missing)
	return missing
}

func walk(t reflect.Type, value any, path string, missing *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if value == nil {
		return
	}
	// Quantity, IntOrString, Time, RawExtension... decode themselves: leaves here.
	if reflect.PointerTo(t).Implements(unmarshaler) || t.Implements(unmarshaler) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		object, ok := value.(map[string]any)
		if !ok {
			return
		}
		for _, field := range fieldsOf(t) {
			child := join(path, field.name)
			got, present := object[field.name]
			if field.required && (!present || got == nil) {
				*missing = append(*missing, child)
				continue
			}
			if present {
				walk(field.typ, got, child, missing)
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return // []byte: base64 text
		}
		items, _ := value.([]any)
		for i, item := range items {
			walk(t.Elem(), item, fmt.Sprintf("%s[%d]", path, i), missing)
		}
	case reflect.Map:
		entries, _ := value.(map[string]any)
		for key, item := range entries {
			walk(t.Elem(), item, fmt.Sprintf("%s[%s]", path, key), missing)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
