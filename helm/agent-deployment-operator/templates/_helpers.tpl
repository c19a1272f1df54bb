{{- define "ado.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ado.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ado.labels" -}}
app.kubernetes.io/name: {{ include "ado.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ado.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ado.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Leader election is needed as soon as more than one replica runs. */}}
{{- define "ado.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/* The leader-election Lease: one per release, so two releases in a namespace never share one. */}}
{{- define "ado.leaseName" -}}
{{- .Values.leaderElection.leaseName | default (include "ado.fullname" .) -}}
{{- end -}}

{{/*
The rules the operator needs on the namespaces it watches: exactly what it sends, checked by
RbacUsageTest (docs/security.md explains each rule).
*/}}
{{- define "ado.watchRules" -}}
# Informers (list, watch); the finalizer, added and removed by JOSDK with a patch; get only when
# JOSDK re-reads a resource after a conflicting finalizer patch.
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments", "controlplanes"]
  verbs: ["get", "list", "watch", "patch"]
# An AgentDeployment's status is written with a JSON patch whose first operation sets the
# resourceVersion read (a stale writer gets a conflict and is never retried over the newer object);
# a ControlPlane's with a full update carrying the resourceVersion.
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments/status"]
  verbs: ["patch"]
- apiGroups: ["agentdeploy.io"]
  resources: ["controlplanes/status"]
  verbs: ["update"]
# API keys and env values; patch only for the credentials-in-use finalizer on API-key Secrets.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "patch"]
# Agentex manifests and environment configs: the informer's cache keeps the data only of referenced
# ConfigMaps; one referenced after it was cached is read once (get).
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}

{{/*
The pod and container hardening, shared by the operator and the pre-delete hook. Values, so that
a platform that assigns its own UIDs (OpenShift's restricted SCC) can drop runAsUser/runAsGroup/fsGroup.
*/}}
{{- define "ado.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{- define "ado.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext -}}
{{- end -}}

{{/*
The JVM's command line: the image's start-up archive (the image's /app/jvm.options holds the flag
that reads it on the image's JVM: an ahead-of-time cache on Java 25, a class-data archive on 17),
the chart's memory and temp-dir flags, then jvmArgs (a later -XX flag wins over an earlier one, so
jvmArgs can override the chart's).
Flags go on the command line, not in JAVA_TOOL_OPTIONS: no env key to collide with extraEnv, and
no "Picked up JAVA_TOOL_OPTIONS" line before the first JSON log line.
*/}}
{{- define "ado.javaCommand" -}}
- java
- "@/app/jvm.options"
- -XX:MaxRAMPercentage=70
- -XX:+ExitOnOutOfMemoryError
- -Djava.io.tmpdir=/tmp
{{- range .Values.jvmArgs }}
- {{ . | quote }}
{{- end }}
- -jar
- /app/agent-deployment-operator.jar
{{- end -}}

{{/* A digest, when set, pins the image whatever the tag says. */}}
{{- define "ado.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/*
The hook's ServiceAccount and RBAC: created before the hook Job runs (lower weight), deleted once
the hooks succeeded. After a failure Helm deletes only the failed hook's resources by policy, so
they stay with the failed Job (kept for its log) and are replaced at the next attempt.
*/}}
{{- define "ado.hookSetupAnnotations" -}}
helm.sh/hook: pre-delete
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{/*
What the pre-delete hook needs on the watched namespaces: list AgentDeployments (refuse while any
exists); list ControlPlanes and patch out their finalizer; get and patch the API-key Secrets they
name, for the credentials-in-use finalizer. Checked by PreUninstallTest.
*/}}
{{- define "ado.preUninstallWatchRules" -}}
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments"]
  verbs: ["list"]
- apiGroups: ["agentdeploy.io"]
  resources: ["controlplanes"]
  verbs: ["list", "patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "patch"]
{{- end -}}

{{/* The Secret with the operator's hash key (created by the operator in the release namespace). */}}
{{- define "ado.hashKeySecret" -}}
{{- .Values.hashKey.secretName | default (printf "%s-hash-key" (include "ado.fullname" .)) -}}
{{- end -}}

{{/*
The standard proxy variables, only those set: each from its value, or from a key of
proxy.existingSecret (a whole URL with its credentials, kept out of the values). Both spellings
are read by the operator and the Kubernetes client; the upper-case one is rendered. An extraEnv
entry of the same name would be a duplicate key that server-side apply refuses, so it is an error
here, as is a variable set both ways.
*/}}
{{- define "ado.proxyEnv" -}}
{{- $p := .Values.proxy -}}
{{- $values := dict "HTTPS_PROXY" $p.httpsProxy "HTTP_PROXY" $p.httpProxy "NO_PROXY" $p.noProxy -}}
{{- $valueNames := dict "HTTPS_PROXY" "httpsProxy" "HTTP_PROXY" "httpProxy" -}}
{{- $secretKeys := dict -}}
{{- if $p.existingSecret }}
{{- $keys := $p.existingSecretKeys | default dict }}
{{- if $keys.httpsProxy }}{{ $_ := set $secretKeys "HTTPS_PROXY" $keys.httpsProxy }}{{ end }}
{{- if $keys.httpProxy }}{{ $_ := set $secretKeys "HTTP_PROXY" $keys.httpProxy }}{{ end }}
{{- if not $secretKeys }}
{{- fail "proxy.existingSecret is set but proxy.existingSecretKeys names no key: set httpsProxy and/or httpProxy to the Secret's key" }}
{{- end }}
{{- end }}
{{- range $name := list "HTTPS_PROXY" "HTTP_PROXY" "NO_PROXY" }}
{{- $value := get $values $name }}
{{- $key := get $secretKeys $name }}
{{- if and $value $key }}
{{- fail (printf "proxy.%s and proxy.existingSecret both set %s: set it in one place" (get $valueNames $name) $name) }}
{{- end }}
{{- if or $value $key }}
{{- range $.Values.extraEnv }}
{{- if eq (upper .name) $name }}
{{- fail (printf "extraEnv sets %s and so does proxy: set it in one place" .name) }}
{{- end }}
{{- end }}
- name: {{ $name }}
{{- if $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $p.existingSecret | quote }}
      key: {{ $key | quote }}
{{- else }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
