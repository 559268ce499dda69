{{/* Chart name, overridable. */}}
{{- define "dormouse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name; room for a "-gateway-metrics" suffix within 63 characters. */}}
{{- define "dormouse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else if contains (include "dormouse.name" .) .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "dormouse.name" .) | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels that select a component's pods. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "dormouse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dormouse.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels of every object of a component. */}}
{{- define "dormouse.labels" -}}
{{ include "dormouse.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Pod labels: selector labels plus the role label the NetworkPolicies and the operator rely on. */}}
{{- define "dormouse.podLabels" -}}
{{ include "dormouse.selectorLabels" . }}
dormouse.dev/role: {{ .component }}
{{- end }}

{{/* "repository:tag" of an image block, the tag defaulting to appVersion. Call with (dict "root" $ "image" .Values.image). */}}
{{- define "dormouse.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{- define "dormouse.ownerImage" -}}
{{- default (include "dormouse.image" (dict "root" . "image" .Values.image)) .Values.owner.image }}
{{- end }}

{{- define "dormouse.serviceAccountName" -}}
{{- printf "%s-%s" (include "dormouse.fullname" .root) .component }}
{{- end }}

{{- define "dormouse.linkSecretName" -}}
{{- default (printf "%s-link" (include "dormouse.fullname" .)) .Values.linkSecret.existingSecret }}
{{- end }}

{{- define "dormouse.publishSecretName" -}}
{{- default (printf "%s-publish" (include "dormouse.fullname" .)) .Values.gateway.publish.existingSecret }}
{{- end }}

{{- define "dormouse.redisServiceName" -}}
{{- printf "%s-redis" (include "dormouse.fullname" .) }}
{{- end }}

{{/*
The one namespace the gateway serves, or "" for all. Fails on several: the gateway takes a single
DORMOUSE_NAMESPACE, and serving all namespaces would need cluster-wide rights nobody asked for.
*/}}
{{- define "dormouse.gatewayNamespace" -}}
{{- if gt (len .Values.watchNamespaces) 1 }}
{{- fail (printf "watchNamespaces lists %d namespaces, but a gateway serves one namespace or all of them: install one release per namespace, or leave watchNamespaces empty" (len .Values.watchNamespaces)) }}
{{- end }}
{{- first .Values.watchNamespaces | default "" }}
{{- end }}

{{/*
Redis URL with "$(REDIS_PASSWORD)" in place of the password; Kubernetes expands it from the env var
rendered just before REDIS_URL, so the password never appears in the pod spec.
*/}}
{{- define "dormouse.redisUrl" -}}
{{- $url := "" }}
{{- if .Values.redis.enabled }}
{{- $url = printf "redis://%s.%s.svc:6379" (include "dormouse.redisServiceName" .) .Release.Namespace }}
{{- else }}
{{- $url = required "redis.enabled=false needs redis.url: the Redis URL of your Redis: redis://host:6379, rediss://host:6380 for TLS, redis-sentinel://host:26379,host:26379#master, redis-cluster://host:6379,host:6379 (rediss-cluster:// for TLS); no query parameters" .Values.redis.url }}
{{- if not (regexMatch "^[a-z-]+://[^@]+$" $url) }}
{{- fail (printf "redis.url %q must look like redis://host:6379 (or rediss://, redis-sentinel://, redis-cluster://) and carry no password: put the password in the Secret named by redis.auth.existingSecret" $url) }}
{{- end }}
{{- end }}
{{- if .Values.redis.auth.existingSecret }}
{{- $parts := splitn "://" 2 $url }}
{{- $url = printf "%s://:$(REDIS_PASSWORD)@%s" $parts._0 $parts._1 }}
{{- end }}
{{- $url }}
{{- end }}

{{/* REDIS_PASSWORD (when set) and REDIS_URL env entries; the order matters for $(REDIS_PASSWORD) expansion. */}}
{{- define "dormouse.redisEnv" -}}
{{- if .Values.redis.auth.existingSecret -}}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.auth.existingSecret }}
      key: {{ .Values.redis.auth.key }}
{{ end -}}
- name: REDIS_URL
  value: {{ include "dormouse.redisUrl" . | quote }}
{{- end }}

{{/* The JVM's only writable path under a read-only root filesystem. */}}
{{- define "dormouse.tmpVolume" -}}
- name: tmp
  emptyDir: {}
{{- end }}

{{- define "dormouse.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Scheduling and pull-secret fields of a pod spec, or nothing. Call with (dict "root" $ "values" .Values.gateway). */}}
{{- define "dormouse.podScheduling" -}}
{{- $spec := dict }}
{{- range .root.Values.imagePullSecrets }}
{{- $_ := set $spec "imagePullSecrets" (append (get $spec "imagePullSecrets" | default list) (dict "name" .)) }}
{{- end }}
{{- range $field := list "nodeSelector" "tolerations" "affinity" }}
{{- with get $.values $field }}
{{- $_ := set $spec $field . }}
{{- end }}
{{- end }}
{{- with $spec }}
{{- toYaml . }}
{{- end }}
{{- end }}
