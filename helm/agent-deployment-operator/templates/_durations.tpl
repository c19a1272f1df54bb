{{/*
Whole seconds (rounded up) of a Go duration such as 30s, 1m30s or 1500ms, as the schema accepts
them.
*/}}
{{- define "ado.durationSeconds" -}}
{{- $total := 0.0 -}}
{{- range regexFindAll "[0-9]+(ns|us|µs|ms|s|m|h)" . -1 -}}
{{- $n := regexFind "^[0-9]+" . | float64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" . "" -}}
{{- $scale := dict "h" 3600.0 "m" 60.0 "s" 1.0 "ms" 0.001 "us" 0.000001 "µs" 0.000001 "ns" 0.000000001 -}}
{{- $total = addf $total (mulf $n (get $scale $unit)) -}}
{{- end -}}
{{- ceil $total | int -}}
{{- end -}}

{{/*
The pod's termination grace period: on SIGTERM, reconciles in flight get up to the request timeout
plus 5 s to finish their remote call before the Lease is released, and the JVM needs a few seconds
more to stop, so the kubelet must wait at least the request timeout plus 15 s. Unset, it is exactly
that; a smaller value is refused.
*/}}
{{- define "ado.terminationGracePeriodSeconds" -}}
{{- $least := add (include "ado.durationSeconds" .Values.operator.requestTimeout | int) 15 -}}
{{- $given := .Values.terminationGracePeriodSeconds -}}
{{- if kindIs "invalid" $given -}}
{{- $least -}}
{{- else if lt (int $given) $least -}}
{{- fail (printf "terminationGracePeriodSeconds %d is below operator.requestTimeout (%s) plus 15 s = %d: a pod killed before its in-flight remote calls are answered leaves a write the next leader must look up; raise it or leave it unset" (int $given) .Values.operator.requestTimeout $least) -}}
{{- else -}}
{{- $given -}}
{{- end -}}
{{- end -}}
