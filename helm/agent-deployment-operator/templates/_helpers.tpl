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
# Status is written with a full update carrying the resourceVersion (optimistic locking).
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments/status", "controlplanes/status"]
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

{{/* The pod and container hardening, shared by the operator and the pre-delete hook. */}}
{{- define "ado.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "ado.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{- define "ado.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
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
