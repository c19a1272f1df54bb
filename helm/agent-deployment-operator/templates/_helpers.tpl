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

{{/* The rules the operator needs on the namespaces it watches. */}}
{{- define "ado.watchRules" -}}
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments", "controlplanes"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments/status", "controlplanes/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["agentdeploy.io"]
  resources: ["agentdeployments/finalizers", "controlplanes/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}

{{/* The Secret with the operator's hash key (created by the operator in the release namespace). */}}
{{- define "ado.hashKeySecret" -}}
{{- .Values.hashKey.secretName | default (printf "%s-hash-key" (include "ado.fullname" .)) -}}
{{- end -}}
