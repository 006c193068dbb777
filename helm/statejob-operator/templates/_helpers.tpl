{{/* The release's full name, used for every object of the chart. */}}
{{- define "statejob-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "statejob-operator.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "statejob-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "statejob-operator.serviceAccountName" -}}
{{- default (include "statejob-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* Rights over StateJobs and the objects the operator creates for them; no wildcards. */}}
{{- define "statejob-operator.jobRules" -}}
- apiGroups: [statejob.io]
  resources: [statejobs]
  verbs: [get, list, watch, patch, update]
- apiGroups: [statejob.io]
  resources: [statejobs/status]
  verbs: [get, patch, update]
- apiGroups: [statejob.io]
  resources: [statejobs/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
# read only: why a job's pods cannot run goes into its status
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
{{- end -}}
