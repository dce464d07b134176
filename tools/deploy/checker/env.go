package main

import (
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// Variable is where one environment variable of a container comes from.
type Variable struct {
	Value    *string `json:"value,omitempty"`    // a literal, or a rendered ConfigMap's value
	Secret   string  `json:"secret,omitempty"`   // "name/key" of a Secret (its value not looked at)
	Optional bool    `json:"optional,omitempty"` // an optional reference
}

// Environment is the whole environment a container starts with, envFrom and env resolved.
type Environment struct {
	Object    string              `json:"object"` // e.g. "Deployment genstream-generation"
	Container string              `json:"container"`
	Variables map[string]Variable `json:"variables"`
}

// Environments resolves the environment of every container of the Deployments and Jobs, so the
// caller can hold it against what the programs declare (deploy:check: each service's config.ts).
func Environments(objects []Object) []Environment {
	configMaps := map[string]map[string]string{}
	for _, o := range objects {
		if cm, ok := o.Typed.(*corev1.ConfigMap); ok {
			configMaps[cm.Name] = cm.Data
		}
	}
	var environments []Environment
	for _, o := range objects {
		var pod *corev1.PodSpec
		switch typed := o.Typed.(type) {
		case *appsv1.Deployment:
			pod = &typed.Spec.Template.Spec
		case *batchv1.Job:
			pod = &typed.Spec.Template.Spec
		default:
			continue
		}
		for _, c := range append(append([]corev1.Container{}, pod.InitContainers...), pod.Containers...) {
			environments = append(environments, Environment{
				Object:    o.GVK.Kind + " " + o.Name,
				Container: c.Name,
				Variables: containerEnv(&c, configMaps),
			})
		}
	}
	sort.SliceStable(environments, func(i, j int) bool { return environments[i].Object < environments[j].Object })
	return environments
}

func containerEnv(c *corev1.Container, configMaps map[string]map[string]string) map[string]Variable {
	variables := map[string]Variable{}
	for _, from := range c.EnvFrom {
		if ref := from.ConfigMapRef; ref != nil {
			for key, value := range configMaps[ref.Name] {
				variables[from.Prefix+key] = Variable{Value: &value}
			}
		}
		if ref := from.SecretRef; ref != nil {
			// Which keys a Secret has is not known here; a whole-Secret import is named by its prefix.
			variables[from.Prefix+"*"] = Variable{Secret: ref.Name + "/*"}
		}
	}
	for _, env := range c.Env {
		switch {
		case env.ValueFrom == nil:
			value := env.Value
			variables[env.Name] = Variable{Value: &value}
		case env.ValueFrom.SecretKeyRef != nil:
			ref := env.ValueFrom.SecretKeyRef
			variables[env.Name] = Variable{Secret: ref.Name + "/" + ref.Key, Optional: ref.Optional != nil && *ref.Optional}
		case env.ValueFrom.ConfigMapKeyRef != nil:
			ref := env.ValueFrom.ConfigMapKeyRef
			if value, ok := configMaps[ref.Name][ref.Key]; ok {
				variables[env.Name] = Variable{Value: &value}
			} else {
				variables[env.Name] = Variable{Optional: ref.Optional != nil && *ref.Optional}
			}
		default:
			variables[env.Name] = Variable{} // fieldRef, resourceFieldRef: known at run time only
		}
	}
	return variables
}
