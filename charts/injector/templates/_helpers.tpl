{{/* vim: set filetype=mustache: */}}

{{/* Chart name. */}}
{{- define "injector.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: release-qualified, 63 chars max; the prefix of every object name and of the sidecar ClusterRoles. */}}
{{- define "injector.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "injector.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: stable across upgrades. */}}
{{- define "injector.selectorLabels" -}}
app.kubernetes.io/name: {{ include "injector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: webhook
{{- end -}}

{{/* Labels on every object. */}}
{{- define "injector.labels" -}}
helm.sh/chart: {{ include "injector.chart" . }}
app.kubernetes.io/name: {{ include "injector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sidecars-dev
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "injector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "injector.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* image reference from {registry, repository, tag, digest}; call with (dict "image" X "root" $). */}}
{{- define "injector.imageRef" -}}
{{- $repo := .image.repository -}}
{{- if .image.registry -}}{{- $repo = printf "%s/%s" .image.registry .image.repository -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repo .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "injector.serviceName" -}}{{ include "injector.fullname" . }}{{- end -}}
{{- define "injector.configMapName" -}}{{ include "injector.fullname" . }}-config{{- end -}}
{{- define "injector.tlsSecretName" -}}{{ include "injector.fullname" . }}-tls{{- end -}}
{{- define "injector.servingCertificateName" -}}{{ include "injector.fullname" . }}-serving{{- end -}}
{{- define "injector.caSecretName" -}}{{ include "injector.fullname" . }}-ca{{- end -}}
{{- define "injector.webhookName" -}}{{ include "injector.fullname" . }}{{- end -}}

{{/* The ClusterRole each API-reading sidecar needs; the names the RBAC loop binds. */}}
{{- define "injector.sidecarClusterRole" -}}{{ include "injector.fullname" .root }}-{{ .sidecar }}{{- end -}}

{{/* Value of --sidecar-clusterroles: empty turns the RBAC loop off. */}}
{{- define "injector.sidecarClusterRolesArg" -}}
{{- if and .Values.rbac.create .Values.rbac.sidecarRoleBindings.enabled -}}
{{- printf "shawarma=%s,proa=%s" (include "injector.sidecarClusterRole" (dict "root" . "sidecar" "shawarma")) (include "injector.sidecarClusterRole" (dict "root" . "sidecar" "proa")) -}}
{{- end -}}
{{- end -}}

{{/* DNS names of the webhook Service, the SANs of the serving certificate. */}}
{{- define "injector.dnsNames" -}}
{{- $svc := include "injector.serviceName" . -}}
{{- $ns := .Release.Namespace -}}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson -}}
{{- end -}}

{{/*
Helm-generated TLS material (tls.mode=helm) as a dict {ca, crt, key} of PEM strings. Generated once per render and
memoized so the Secret and the webhook's caBundle agree; on upgrade the existing Secret is reused when
tls.helm.reuseExisting is true (lookup returns nothing under `helm template`, so templates always get fresh material).
*/}}
{{- define "injector.helmTLS" -}}
{{- $cache := .Values.tls.helm -}}
{{- if not (hasKey $cache "_generated") -}}
{{- $material := dict -}}
{{- if .Values.tls.helm.reuseExisting -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "injector.tlsSecretName" .) -}}
{{- if and $existing $existing.data -}}
{{- if and (index $existing.data "ca.crt") (index $existing.data "tls.crt") (index $existing.data "tls.key") -}}
{{- $material = dict "ca" (index $existing.data "ca.crt" | b64dec) "crt" (index $existing.data "tls.crt" | b64dec) "key" (index $existing.data "tls.key" | b64dec) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $material.ca -}}
{{- $days := int .Values.tls.helm.validityDays -}}
{{- $ca := genCA (printf "%s-ca" (include "injector.fullname" .)) $days -}}
{{- $dns := include "injector.dnsNames" . | fromJsonArray -}}
{{- $cert := genSignedCert (index $dns 2) nil $dns $days $ca -}}
{{- $material = dict "ca" $ca.Cert "crt" $cert.Cert "key" $cert.Key -}}
{{- end -}}
{{- $_ := set $cache "_generated" $material -}}
{{- end -}}
{{- index $cache "_generated" | toJson -}}
{{- end -}}

{{/*
Fails the render with a clear message on contradictory values. Included from templates/validate.yaml.
*/}}
{{- define "injector.validate" -}}
{{- $v := .Values -}}
{{- if and (ne $v.tls.mode "certManager") $v.tls.certManager.issuerRef.name -}}
{{- fail (printf "tls.certManager.issuerRef.name is set (%q) but tls.mode is %q: set tls.mode=certManager to use your issuer, or clear tls.certManager.issuerRef.name" $v.tls.certManager.issuerRef.name $v.tls.mode) -}}
{{- end -}}
{{- if and (not $v.serviceAccount.create) (not $v.serviceAccount.name) -}}
{{- fail "serviceAccount.create is false but serviceAccount.name is empty: name the existing ServiceAccount the injector should run as" -}}
{{- end -}}
{{- if and $v.rbac.sidecarRoleBindings.enabled (not $v.rbac.create) -}}
{{- fail "rbac.sidecarRoleBindings.enabled is true but rbac.create is false: the injector would bind ClusterRoles the chart does not create and has no permission to bind. Set rbac.sidecarRoleBindings.enabled=false and bind the sidecar roles yourself, or set rbac.create=true" -}}
{{- end -}}
{{- if $v.podDisruptionBudget.enabled -}}
{{- $min := toString $v.podDisruptionBudget.minAvailable -}}
{{- $max := toString $v.podDisruptionBudget.maxUnavailable -}}
{{- if and (ne $min "") (ne $max "") -}}
{{- fail "podDisruptionBudget.minAvailable and podDisruptionBudget.maxUnavailable are both set: set only one of them" -}}
{{- end -}}
{{- if and (ne $min "") (not (contains "%" $min)) (ge (int $min) (int $v.replicaCount)) -}}
{{- fail (printf "podDisruptionBudget.minAvailable (%s) must be lower than replicaCount (%d), otherwise no node can ever be drained; raise replicaCount or lower minAvailable" $min (int $v.replicaCount)) -}}
{{- end -}}
{{- end -}}
{{- if eq (int $v.ports.webhook) (int $v.ports.health) -}}
{{- fail (printf "ports.webhook and ports.health are both %d: the HTTPS webhook and the plain-HTTP health endpoints need separate ports" (int $v.ports.webhook)) -}}
{{- end -}}
{{- if and $v.affinity (ne $v.podAntiAffinity "soft") -}}
{{- fail (printf "affinity is set and podAntiAffinity is %q: podAntiAffinity only applies when affinity is empty; set one of them" $v.podAntiAffinity) -}}
{{- end -}}
{{- end -}}
