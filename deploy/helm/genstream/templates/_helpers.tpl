{{/*
Names, labels and the facts of the event contract the templates share.
*/}}

{{- define "genstream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "genstream.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Kept to 40 characters above so "<fullname>-embedding-indexer" stays a 63-character DNS label. */}}
{{- define "genstream.serviceName" -}}
{{- printf "%s-%s" (include "genstream.fullname" .root) .service }}
{{- end }}

{{- define "genstream.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "genstream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: genstream
{{- end }}

{{- define "genstream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "genstream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one service's objects; call with (dict "root" $ "service" $name). */}}
{{- define "genstream.serviceLabels" -}}
{{ include "genstream.labels" .root }}
app.kubernetes.io/component: {{ .service }}
{{- end }}

{{- define "genstream.serviceSelectorLabels" -}}
{{ include "genstream.selectorLabels" .root }}
app.kubernetes.io/component: {{ .service }}
{{- end }}

{{- define "genstream.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "genstream.secretName" -}}
{{- default (include "genstream.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{- define "genstream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "genstream.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The topics each service consumes (libs/events TOPICS; tools/faults rig.ts CONSUMED_TOPICS), without
TOPIC_PREFIX. Its consumer group is "<TOPIC_PREFIX>genstream.<service>" (libs/service consumerGroupId).
*/}}
{{- define "genstream.consumedTopics" -}}
generation: [genstream.generation.requested]
metadata-writer: [genstream.content.generated]
document-writer: [genstream.content.generated]
cache-updater: [genstream.content.generated, genstream.generation.failed]
embedding-indexer: [genstream.content.generated]
{{- end }}

{{- define "genstream.consumerGroup" -}}
{{- printf "%sgenstream.%s" .root.Values.kafka.topicPrefix .service }}
{{- end }}

{{/*
The secret variables of each service: those it needs, and those it may use (optional refs, so an
existing Secret without them is fine).
*/}}
{{- define "genstream.secretKeys" -}}
generation: { required: [REDIS_URL], optional: [LLM_OPENAI_API_KEY] }
metadata-writer: { required: [DATABASE_URL], optional: [] }
document-writer: { required: [MONGO_URL], optional: [] }
cache-updater: { required: [REDIS_URL], optional: [] }
embedding-indexer: { required: [REDIS_URL], optional: [EMBEDDING_API_KEY] }
{{- end }}

{{/* Is this service scaled by KEDA or an HPA (and so has no fixed replicas)? "true" or "". */}}
{{- define "genstream.autoscaled" -}}
{{- if .root.Values.autoscaling.enabled }}true{{ end }}
{{- end }}

{{/* KEDA's name of a KAFKA_SASL_MECHANISM. */}}
{{- define "genstream.kedaSasl" -}}
{{- $names := dict "plain" "plaintext" "scram-sha-256" "scram_sha256" "scram-sha-512" "scram_sha512" }}
{{- $mechanism := .Values.kafka.sasl.mechanism }}
{{- if not (hasKey $names $mechanism) }}
{{- fail (printf "kafka.sasl.mechanism %q: expected plain, scram-sha-256 or scram-sha-512" $mechanism) }}
{{- end }}
{{- get $names $mechanism }}
{{- end }}

{{/*
What the chart refuses to render, said in words: called once from configmap.yaml.
*/}}
{{- define "genstream.validate" -}}
{{- $partitions := int .Values.kafka.partitions }}
{{- if lt $partitions 1 }}
{{- fail "kafka.partitions must be at least 1" }}
{{- end }}
{{- $bound := add 30 (int .Values.pod.preStopSleepSeconds) }}
{{- if le (int .Values.pod.terminationGracePeriodSeconds) $bound }}
{{- fail (printf "pod.terminationGracePeriodSeconds (%d) must exceed the services' shutdown bound: 25 s for the Kafka runtime + 5 s for HTTP and the stores + pod.preStopSleepSeconds (%d) = %d s" (int .Values.pod.terminationGracePeriodSeconds) (int .Values.pod.preStopSleepSeconds) $bound) }}
{{- end }}
{{- if and .Values.kafka.sasl.enabled (not .Values.secrets.existingSecret) (not .Values.kafka.sasl.password) }}
{{- fail "kafka.sasl.enabled needs kafka.sasl.password (or secrets.existingSecret holding KAFKA_SASL_PASSWORD)" }}
{{- end }}
{{- range $service, $settings := .Values.services }}
{{- if $settings.enabled }}
{{- $consumed := get (include "genstream.consumedTopics" $ | fromYaml) $service }}
{{- if not $consumed }}
{{- fail (printf "services.%s: not a genstream service (generation, metadata-writer, document-writer, cache-updater, embedding-indexer)" $service) }}
{{- end }}
{{- if $.Values.autoscaling.enabled }}
{{- $max := int $settings.autoscaling.maxReplicas }}
{{- $min := int $settings.autoscaling.minReplicas }}
{{- if gt $max $partitions }}
{{- fail (printf "services.%s.autoscaling.maxReplicas (%d) is above kafka.partitions (%d): a consumer group never has more busy members than partitions, the others would sit idle" $service $max $partitions) }}
{{- end }}
{{- if gt $min $max }}
{{- fail (printf "services.%s.autoscaling.minReplicas (%d) is above its maxReplicas (%d)" $service $min $max) }}
{{- end }}
{{- if and (lt $min 1) (or (eq $service "generation") (not $.Values.autoscaling.keda.enabled)) }}
{{- fail (printf "services.%s.autoscaling.minReplicas must be at least 1 (only KEDA scales to zero, and never generation, which answers HTTP requests)" $service) }}
{{- end }}
{{- else if gt (int $settings.replicas) $partitions }}
{{- fail (printf "services.%s.replicas (%d) is above kafka.partitions (%d): the extra instances would sit idle" $service (int $settings.replicas) $partitions) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The Kafka settings of the services and of the hook Job alike (not secret): brokers, prefix,
partitions, replication factor, SASL mechanism, CA file.
*/}}
{{- define "genstream.commonEnv" -}}
KAFKA_BROKERS: {{ .Values.kafka.brokers | quote }}
TOPIC_PREFIX: {{ .Values.kafka.topicPrefix | quote }}
KAFKA_PARTITIONS: {{ .Values.kafka.partitions | toString | quote }}
KAFKA_REPLICATION_FACTOR: {{ .Values.kafka.replicationFactor | toString | quote }}
{{- if .Values.kafka.sasl.enabled }}
KAFKA_SASL_MECHANISM: {{ .Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
KAFKA_SSL_CA_FILE: /etc/genstream/kafka-ca/{{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- end }}

{{/* secretKeyRef env entries of the Kafka SASL credentials; call with (dict "root" $ "secret" $name). */}}
{{- define "genstream.kafkaSecretEnv" -}}
{{- if .root.Values.kafka.sasl.enabled }}
{{- range $key := list "KAFKA_SASL_USERNAME" "KAFKA_SASL_PASSWORD" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $.secret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}

{{/* The CA volume and its mount, when the brokers' CA comes from a Secret. */}}
{{- define "genstream.kafkaCaVolume" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: {{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- end }}

{{- define "genstream.kafkaCaMount" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/genstream/kafka-ca
  readOnly: true
{{- end }}
{{- end }}

{{/* The AUTH_* variables of a service with an HTTP API (libs/auth auth-config.ts). */}}
{{- define "genstream.authEnv" -}}
{{- $auth := .Values.auth -}}
{{- if not (has $auth.mode (list "on" "off")) }}
{{- fail (printf "auth.mode must be on or off, not %v" $auth.mode) }}
{{- end }}
AUTH: {{ $auth.mode | quote }}
AUTH_RATE_LIMIT_PER_SECOND: {{ $auth.rateLimit.perSecond | toString | quote }}
AUTH_RATE_LIMIT_BURST: {{ $auth.rateLimit.burst | toString | quote }}
{{- with $auth.jwt.jwksUrl }}
{{- if or (not $auth.jwt.issuer) (not $auth.jwt.audience) }}
{{- fail "auth.jwt.issuer and auth.jwt.audience are required with auth.jwt.jwksUrl" }}
{{- end }}
AUTH_JWKS_URL: {{ . | quote }}
AUTH_JWT_ISSUER: {{ $auth.jwt.issuer | quote }}
AUTH_JWT_AUDIENCE: {{ $auth.jwt.audience | quote }}
AUTH_JWT_CLOCK_SKEW_SECONDS: {{ $auth.jwt.clockSkewSeconds | toString | quote }}
AUTH_JWT_TENANT_CLAIM: {{ $auth.jwt.tenantClaim | quote }}
{{- end }}
{{- end }}
