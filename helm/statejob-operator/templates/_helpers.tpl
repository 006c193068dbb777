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

{{/*
Rights over StateJobs and the objects the operator creates for them: exactly the calls it makes
(RbacTest records them on a mock API server and compares), no wildcards. Owned objects are read
by name and written by server-side apply (a patch), or created and replaced without it.
*/}}
{{- define "statejob-operator.jobRules" -}}
{{- $write := ternary "patch" "create, update" .Values.serverSideApply -}}
# patch: the finalizer that carries out a deletion's savepoint and cleanup
- apiGroups: [statejob.io]
  resources: [statejobs]
  verbs: [list, watch, patch]
- apiGroups: [statejob.io]
  resources: [statejobs/status]
  verbs: [patch]
# no call: owned objects' owner references block the job's deletion, which needs this right
- apiGroups: [statejob.io]
  resources: [statejobs/finalizers]
  verbs: [update]
# read through informers (list, watch): a reconcile of an unchanged job makes no call;
# secrets: each job's API token, which its coordinator asks of savepoint requests
- apiGroups: [""]
  resources: [configmaps, services, secrets]
  verbs: [list, watch, {{ $write }}]
{{- if .Values.networkPolicy.enabled }}
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [list, watch, {{ $write }}]
{{- end }}
# delete: a deleted job's pods stop before its checkpoints are deleted
- apiGroups: [apps]
  resources: [statefulsets]
  verbs: [list, watch, {{ $write }}, delete]
# the coordinator Deployment of an earlier operator version is watched for, and deleted
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, delete]
# the pod that deletes a deleted job's checkpoints (checkpoints.cleanupOnDelete)
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, create, delete]
# get, patch: a repeated event counts up instead of adding another (the client reads it first)
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
# read only: why a job's pods cannot run goes into its status
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
{{- end -}}
