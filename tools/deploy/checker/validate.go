package main

import (
	"fmt"
	"slices"
	"strconv"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// A few of the API server's own validation rules, those a chart gets wrong most often and that
// the Go types alone cannot say (names, labels, selectors that select, a Job's restart policy).

func validate(object *Object) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	meta, ok := metaOf(object.Typed)
	if !ok {
		return nil
	}
	switch {
	case meta.Name == "":
		add("metadata.name is required")
	case object.GVK.Kind == "Service":
		for _, e := range validation.IsDNS1035Label(meta.Name) {
			add("metadata.name %q: %s", meta.Name, e)
		}
	default:
		for _, e := range validation.IsDNS1123Subdomain(meta.Name) {
			add("metadata.name %q: %s", meta.Name, e)
		}
	}
	problems = append(problems, labelProblems("metadata.labels", meta.Labels)...)

	switch typed := object.Typed.(type) {
	case *appsv1.Deployment:
		problems = append(problems, selectorProblems("spec.selector", typed.Spec.Selector, typed.Spec.Template.Labels)...)
		problems = append(problems, podProblems("spec.template", &typed.Spec.Template)...)
		if typed.Spec.Replicas != nil && *typed.Spec.Replicas < 0 {
			add("spec.replicas must not be negative")
		}
	case *batchv1.Job:
		policy := typed.Spec.Template.Spec.RestartPolicy
		if policy != corev1.RestartPolicyNever && policy != corev1.RestartPolicyOnFailure {
			add("spec.template.spec.restartPolicy must be Never or OnFailure for a Job, not %q", policy)
		}
		problems = append(problems, podProblems("spec.template", &typed.Spec.Template)...)
	case *corev1.Service:
		if len(typed.Spec.Ports) == 0 {
			add("spec.ports: a Service needs at least one port")
		}
		for i, port := range typed.Spec.Ports {
			if port.Name != "" {
				for _, e := range validation.IsValidPortName(port.Name) {
					add("spec.ports[%d].name %q: %s", i, port.Name, e)
				}
			}
		}
		problems = append(problems, labelProblems("spec.selector", typed.Spec.Selector)...)
	case *policyv1.PodDisruptionBudget:
		if typed.Spec.MinAvailable != nil && typed.Spec.MaxUnavailable != nil {
			add("spec: minAvailable and maxUnavailable are mutually exclusive")
		}
		problems = append(problems, selectorProblems("spec.selector", typed.Spec.Selector, nil)...)
	case *autoscalingv2.HorizontalPodAutoscaler:
		if typed.Spec.MinReplicas != nil && *typed.Spec.MinReplicas > typed.Spec.MaxReplicas {
			add("spec.minReplicas (%d) is above spec.maxReplicas (%d)", *typed.Spec.MinReplicas, typed.Spec.MaxReplicas)
		}
	case *ScaledObject:
		spec := typed.Spec
		if spec.MinReplicaCount != nil && spec.MaxReplicaCount != nil && *spec.MinReplicaCount > *spec.MaxReplicaCount {
			add("spec.minReplicaCount (%d) is above spec.maxReplicaCount (%d)", *spec.MinReplicaCount, *spec.MaxReplicaCount)
		}
		for i, trigger := range spec.Triggers {
			if trigger.Type != "kafka" {
				continue
			}
			for _, key := range []string{"bootstrapServers", "consumerGroup", "topic", "lagThreshold"} {
				if trigger.Metadata[key] == "" {
					add("spec.triggers[%d].metadata.%s is required by this chart's kafka triggers", i, key)
				}
			}
			if lag, err := strconv.Atoi(trigger.Metadata["lagThreshold"]); trigger.Metadata["lagThreshold"] != "" && (err != nil || lag < 1) {
				add("spec.triggers[%d].metadata.lagThreshold %q must be a positive integer", i, trigger.Metadata["lagThreshold"])
			}
		}
	}
	return problems
}

func metaOf(typed any) (*metav1.ObjectMeta, bool) {
	if accessor, ok := typed.(interface{ GetObjectMeta() metav1.Object }); ok {
		if meta, ok := accessor.GetObjectMeta().(*metav1.ObjectMeta); ok {
			return meta, true
		}
	}
	return nil, false
}

func labelProblems(path string, set map[string]string) []string {
	var problems []string
	for key, value := range set {
		for _, e := range validation.IsQualifiedName(key) {
			problems = append(problems, fmt.Sprintf("%s key %q: %s", path, key, e))
		}
		for _, e := range validation.IsValidLabelValue(value) {
			problems = append(problems, fmt.Sprintf("%s[%s] value %q: %s", path, key, value, e))
		}
	}
	return problems
}

// selectorProblems: a valid selector that is not empty and, when `template` is given, selects it.
func selectorProblems(path string, selector *metav1.LabelSelector, template map[string]string) []string {
	if selector == nil || (len(selector.MatchLabels) == 0 && len(selector.MatchExpressions) == 0) {
		return []string{path + " must not be empty"}
	}
	problems := labelProblems(path+".matchLabels", selector.MatchLabels)
	parsed, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		return append(problems, fmt.Sprintf("%s: %v", path, err))
	}
	if template != nil && !parsed.Matches(labels.Set(template)) {
		problems = append(problems, fmt.Sprintf("%s does not match spec.template.metadata.labels", path))
	}
	return problems
}

func podProblems(path string, template *corev1.PodTemplateSpec) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, path+"."+fmt.Sprintf(format, args...)) }
	problems = append(problems, labelProblems(path+".metadata.labels", template.Labels)...)
	spec := &template.Spec
	if len(spec.Containers) == 0 {
		add("spec.containers: a pod needs at least one container")
	}
	volumes := map[string]bool{}
	for _, volume := range spec.Volumes {
		if volumes[volume.Name] {
			add("spec.volumes: %q is declared twice", volume.Name)
		}
		volumes[volume.Name] = true
	}
	names := map[string]bool{}
	check := func(kind string, i int, c *corev1.Container) {
		at := fmt.Sprintf("spec.%s[%d]", kind, i)
		for _, e := range validation.IsDNS1123Label(c.Name) {
			add("%s.name %q: %s", at, c.Name, e)
		}
		if names[c.Name] {
			add("%s.name %q is used twice", at, c.Name)
		}
		names[c.Name] = true
		if c.Image == "" {
			add("%s.image is required", at)
		}
		ports := map[string]bool{}
		for j, port := range c.Ports {
			if port.Name == "" {
				continue
			}
			for _, e := range validation.IsValidPortName(port.Name) {
				add("%s.ports[%d].name %q: %s", at, j, port.Name, e)
			}
			ports[port.Name] = true
		}
		for j, env := range c.Env {
			for _, e := range validation.IsEnvVarName(env.Name) {
				add("%s.env[%d].name %q: %s", at, j, env.Name, e)
			}
		}
		for j, mount := range c.VolumeMounts {
			if !volumes[mount.Name] {
				add("%s.volumeMounts[%d]: no volume named %q", at, j, mount.Name)
			}
		}
		for probeName, probe := range map[string]*corev1.Probe{"livenessProbe": c.LivenessProbe, "readinessProbe": c.ReadinessProbe, "startupProbe": c.StartupProbe} {
			if probe == nil {
				continue
			}
			if probe.HTTPGet != nil && probe.HTTPGet.Port.Type == intstr.String && !ports[probe.HTTPGet.Port.StrVal] {
				add("%s.%s.httpGet.port %q is not a port of the container", at, probeName, probe.HTTPGet.Port.StrVal)
			}
			if probe.HTTPGet == nil && probe.TCPSocket == nil && probe.Exec == nil && probe.GRPC == nil {
				add("%s.%s needs a handler (httpGet, tcpSocket, exec or grpc)", at, probeName)
			}
		}
	}
	for i := range spec.InitContainers {
		check("initContainers", i, &spec.InitContainers[i])
	}
	for i := range spec.Containers {
		check("containers", i, &spec.Containers[i])
	}
	if spec.TerminationGracePeriodSeconds != nil && *spec.TerminationGracePeriodSeconds < 0 {
		add("spec.terminationGracePeriodSeconds must not be negative")
	}
	return problems
}

// crossCheck: what the objects say about each other. Every reference points at an object of the
// same render (a Secret may instead be one of options.ExternalSecrets), every selector selects.
func crossCheck(objects []Object, options Options) []string {
	var problems []string
	seen := map[string]bool{}
	byKind := map[string]map[string]any{}
	for _, o := range objects {
		key := o.GVK.String() + "/" + o.Name
		if seen[key] {
			problems = append(problems, fmt.Sprintf("%s is rendered twice", o))
		}
		seen[key] = true
		if byKind[o.GVK.Kind] == nil {
			byKind[o.GVK.Kind] = map[string]any{}
		}
		byKind[o.GVK.Kind][o.Name] = o.Typed
	}
	has := func(kind, name string) bool { _, ok := byKind[kind][name]; return ok }
	hasSecret := func(name string) bool { return has("Secret", name) || slices.Contains(options.ExternalSecrets, name) }
	templates := map[string]*corev1.PodTemplateSpec{}
	for name, typed := range byKind["Deployment"] {
		templates[name] = &typed.(*appsv1.Deployment).Spec.Template
	}

	for _, o := range objects {
		add := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s: %s", o, fmt.Sprintf(format, args...)))
		}
		var pod *corev1.PodSpec
		switch typed := o.Typed.(type) {
		case *appsv1.Deployment:
			pod = &typed.Spec.Template.Spec
		case *batchv1.Job:
			pod = &typed.Spec.Template.Spec
		case *corev1.Service:
			if len(typed.Spec.Selector) == 0 {
				break
			}
			selected := 0
			for _, template := range templates {
				if labels.SelectorFromSet(typed.Spec.Selector).Matches(labels.Set(template.Labels)) {
					selected++
					for i, port := range typed.Spec.Ports {
						if port.TargetPort.Type == intstr.String && !podHasPort(&template.Spec, port.TargetPort.StrVal) {
							add("spec.ports[%d].targetPort %q is not a port of the pods it selects", i, port.TargetPort.StrVal)
						}
					}
				}
			}
			if selected == 0 {
				add("spec.selector selects no Deployment's pods")
			}
		case *policyv1.PodDisruptionBudget:
			if !selectsSome(typed.Spec.Selector, templates) {
				add("spec.selector selects no Deployment's pods")
			}
		case *autoscalingv2.HorizontalPodAutoscaler:
			ref := typed.Spec.ScaleTargetRef
			if !has(ref.Kind, ref.Name) {
				add("spec.scaleTargetRef: no %s %q is rendered", ref.Kind, ref.Name)
			}
		case *ScaledObject:
			if ref := typed.Spec.ScaleTargetRef; ref != nil {
				kind := ref.Kind
				if kind == "" {
					kind = "Deployment"
				}
				if !has(kind, ref.Name) {
					add("spec.scaleTargetRef: no %s %q is rendered", kind, ref.Name)
				}
			}
			for i, trigger := range typed.Spec.Triggers {
				if ref := trigger.AuthenticationRef; ref != nil {
					kind := ref.Kind
					if kind == "" {
						kind = "TriggerAuthentication"
					}
					if !has(kind, ref.Name) {
						add("spec.triggers[%d].authenticationRef: no %s %q is rendered", i, kind, ref.Name)
					}
				}
			}
		case *TriggerAuthentication:
			for i, ref := range typed.Spec.SecretTargetRef {
				if !hasSecret(ref.Name) {
					add("spec.secretTargetRef[%d]: Secret %q is neither rendered nor declared external", i, ref.Name)
				}
			}
			for i, ref := range typed.Spec.ConfigMapTargetRef {
				if !has("ConfigMap", ref.Name) {
					add("spec.configMapTargetRef[%d]: no ConfigMap %q is rendered", i, ref.Name)
				}
			}
		case *monitoringv1.ServiceMonitor:
			selector, err := metav1.LabelSelectorAsSelector(&typed.Spec.Selector)
			if err != nil {
				add("spec.selector: %v", err)
				break
			}
			selected := 0
			for _, service := range byKind["Service"] {
				service := service.(*corev1.Service)
				if !selector.Matches(labels.Set(service.Labels)) {
					continue
				}
				selected++
				for i, endpoint := range typed.Spec.Endpoints {
					if endpoint.Port != "" && !slices.ContainsFunc(service.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == endpoint.Port }) {
						add("spec.endpoints[%d].port %q is not a port of Service %q", i, endpoint.Port, service.Name)
					}
				}
			}
			if selected == 0 {
				add("spec.selector selects no rendered Service")
			}
		}
		if pod == nil {
			continue
		}
		for _, ref := range podReferences(pod) {
			switch {
			case ref.optional:
			case ref.kind == "ConfigMap" && !has("ConfigMap", ref.name):
				add("%s: no ConfigMap %q is rendered", ref.path, ref.name)
			case ref.kind == "Secret" && !hasSecret(ref.name):
				add("%s: Secret %q is neither rendered nor declared external", ref.path, ref.name)
			}
		}
	}
	return problems
}

func podHasPort(spec *corev1.PodSpec, name string) bool {
	for _, c := range spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

func selectsSome(selector *metav1.LabelSelector, templates map[string]*corev1.PodTemplateSpec) bool {
	parsed, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil || selector == nil {
		return false
	}
	for _, template := range templates {
		if parsed.Matches(labels.Set(template.Labels)) {
			return true
		}
	}
	return false
}

type reference struct {
	kind, name, path string
	optional         bool
}

func podReferences(pod *corev1.PodSpec) []reference {
	var refs []reference
	isTrue := func(b *bool) bool { return b != nil && *b }
	containers := slices.Concat(pod.InitContainers, pod.Containers)
	for _, c := range containers {
		for _, from := range c.EnvFrom {
			if from.ConfigMapRef != nil {
				refs = append(refs, reference{"ConfigMap", from.ConfigMapRef.Name, "container " + c.Name + " envFrom", isTrue(from.ConfigMapRef.Optional)})
			}
			if from.SecretRef != nil {
				refs = append(refs, reference{"Secret", from.SecretRef.Name, "container " + c.Name + " envFrom", isTrue(from.SecretRef.Optional)})
			}
		}
		for _, env := range c.Env {
			if env.ValueFrom == nil {
				continue
			}
			at := "container " + c.Name + " env " + env.Name
			if ref := env.ValueFrom.ConfigMapKeyRef; ref != nil {
				refs = append(refs, reference{"ConfigMap", ref.Name, at, isTrue(ref.Optional)})
			}
			if ref := env.ValueFrom.SecretKeyRef; ref != nil {
				refs = append(refs, reference{"Secret", ref.Name, at, isTrue(ref.Optional)})
			}
		}
	}
	for _, volume := range pod.Volumes {
		at := "volume " + volume.Name
		if volume.ConfigMap != nil {
			refs = append(refs, reference{"ConfigMap", volume.ConfigMap.Name, at, isTrue(volume.ConfigMap.Optional)})
		}
		if volume.Secret != nil {
			refs = append(refs, reference{"Secret", volume.Secret.SecretName, at, isTrue(volume.Secret.Optional)})
		}
		if volume.Projected != nil {
			for _, source := range volume.Projected.Sources {
				if source.ConfigMap != nil {
					refs = append(refs, reference{"ConfigMap", source.ConfigMap.Name, at, isTrue(source.ConfigMap.Optional)})
				}
				if source.Secret != nil {
					refs = append(refs, reference{"Secret", source.Secret.Name, at, isTrue(source.Secret.Optional)})
				}
			}
		}
	}
	return refs
}
