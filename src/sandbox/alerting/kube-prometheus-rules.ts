/**
 * The kube-prometheus alerting rules the sandbox raises, copied verbatim (name, severity, group, expression,
 * `for`, annotations) from prometheus-operator/kube-prometheus@4d719f1d `manifests/*-prometheusRule.yaml`. The
 * sandbox shortens the durations (./durations.ts); expressions and annotations stay as upstream wrote them.
 */

export interface KubePrometheusRule {
  name: string;
  severity: string;
  group: string;
  expr: string;
  /** Upstream `for:` (Prometheus duration), null when the rule fires at once. */
  for: string | null;
  summary: string;
  description: string;
  runbook_url: string;
}

export const KUBE_PROMETHEUS_RULES: readonly KubePrometheusRule[] = [
  {
    name: 'KubePodCrashLooping',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1',
    for: '15m',
    summary: 'Pod is crash looping.',
    description:
      'Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is in waiting state (reason: "CrashLoopBackOff") on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping',
  },
  {
    name: 'KubePodNotReady',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: 'sum by (namespace, pod, job, cluster) (\n  max by(namespace, pod, job, cluster) (\n    kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown"}\n    or\n    (\n      kube_pod_status_phase{job="kube-state-metrics", phase="Running"} == 1\n      and on(namespace, pod, cluster)\n      kube_pod_status_ready{job="kube-state-metrics", condition="true"} == 0\n    )\n  ) * on(namespace, pod, cluster) group_left() topk by(namespace, pod, cluster) (\n    1, max by(namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"})\n  )\n) > 0\nunless on(namespace, pod, cluster)\nkube_pod_status_reason{job="kube-state-metrics", reason="SchedulingGated"} == 1',
    for: '15m',
    summary: 'Pod has been in a non-ready state for more than 15 minutes.',
    description:
      'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been in a non-ready state for longer than 15 minutes on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodnotready',
  },
  {
    name: 'KubeContainerWaiting',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: 'kube_pod_container_status_waiting_reason{reason!="CrashLoopBackOff", job="kube-state-metrics"} > 0',
    for: '1h',
    summary: 'Pod container waiting longer than 1 hour',
    description:
      'pod/{{ $labels.pod }} in namespace {{ $labels.namespace }} on container {{ $labels.container}} has been in waiting state for longer than 1 hour. (reason: "{{ $labels.reason }}") on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubecontainerwaiting',
  },
  {
    name: 'KubeDeploymentReplicasMismatch',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: '(\n  kube_deployment_spec_replicas{job="kube-state-metrics"}\n    >\n  kube_deployment_status_replicas_available{job="kube-state-metrics"}\n) and (\n  changes(kube_deployment_status_replicas_updated{job="kube-state-metrics"}[10m])\n    ==\n  0\n)',
    for: '15m',
    summary: 'Deployment has not matched the expected number of replicas.',
    description:
      'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has not matched the expected number of replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubedeploymentreplicasmismatch',
  },
  {
    name: 'KubeDeploymentRolloutStuck',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: 'kube_deployment_status_condition{condition="Progressing", status="false",job="kube-state-metrics"}\n!= 0',
    for: '15m',
    summary: 'Deployment rollout is not progressing.',
    description:
      'Rollout of deployment {{ $labels.namespace }}/{{ $labels.deployment }} is not progressing for longer than 15 minutes on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubedeploymentrolloutstuck',
  },
  {
    name: 'KubeStatefulSetReplicasMismatch',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: '(\n  kube_statefulset_status_replicas_ready{job="kube-state-metrics"}\n    !=\n  kube_statefulset_replicas{job="kube-state-metrics"}\n) and (\n  changes(kube_statefulset_status_replicas_updated{job="kube-state-metrics"}[10m])\n    ==\n  0\n)',
    for: '15m',
    summary: 'StatefulSet has not matched the expected number of replicas.',
    description:
      'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not matched the expected number of replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubestatefulsetreplicasmismatch',
  },
  {
    name: 'KubeJobFailed',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: 'kube_job_failed{job="kube-state-metrics"}  > 0',
    for: '15m',
    summary: 'Job failed to complete.',
    description:
      'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed to complete. Removing failed job after investigation should clear this alert on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubejobfailed',
  },
  {
    name: 'KubeHpaMaxedOut',
    severity: 'warning',
    group: 'kubernetes-apps',
    expr: '(\n  kube_horizontalpodautoscaler_status_current_replicas{job="kube-state-metrics"}\n    ==\n  kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics"}\n)\nand on(namespace, horizontalpodautoscaler, cluster) (\n  kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics"}\n    !=\n  kube_horizontalpodautoscaler_spec_min_replicas{job="kube-state-metrics"}\n)',
    for: '15m',
    summary: 'HPA is running at max replicas',
    description:
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler  }} has been running at max replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubehpamaxedout',
  },
  {
    name: 'KubeNodeNotReady',
    severity: 'warning',
    group: 'kubernetes-system-kubelet',
    expr: 'kube_node_status_condition{job="kube-state-metrics",condition="Ready",status="true"} == 0\nand on (cluster, node)\nkube_node_spec_unschedulable{job="kube-state-metrics"} == 0',
    for: '15m',
    summary: 'Node is not ready.',
    description: '{{ $labels.node }} has been unready for more than 15 minutes on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubenodenotready',
  },
  {
    name: 'KubePersistentVolumeFillingUp',
    severity: 'critical',
    group: 'kubernetes-storage',
    expr: '(\n  kubelet_volume_stats_available_bytes{job="kubelet", metrics_path="/metrics"}\n    /\n  kubelet_volume_stats_capacity_bytes{job="kubelet", metrics_path="/metrics"}\n) < 0.03\nand\nkubelet_volume_stats_used_bytes{job="kubelet", metrics_path="/metrics"} > 0\nunless on(cluster, namespace, persistentvolumeclaim)\nkube_persistentvolumeclaim_access_mode{ access_mode="ReadOnlyMany"} == 1\nunless on(cluster, namespace, persistentvolumeclaim)\nkube_persistentvolumeclaim_labels{label_excluded_from_alerts="true"} == 1',
    for: '1m',
    summary: 'PersistentVolume is filling up.',
    description:
      'The PersistentVolume claimed by {{ $labels.persistentvolumeclaim }} in Namespace {{ $labels.namespace }} {{ with $labels.cluster -}} on Cluster {{ . }} {{- end }} is only {{ $value | humanizePercentage }} free.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepersistentvolumefillingup',
  },
  {
    name: 'KubePersistentVolumeFillingUp',
    severity: 'warning',
    group: 'kubernetes-storage',
    expr: '(\n  kubelet_volume_stats_available_bytes{job="kubelet", metrics_path="/metrics"}\n    /\n  kubelet_volume_stats_capacity_bytes{job="kubelet", metrics_path="/metrics"}\n) < 0.15\nand\nkubelet_volume_stats_used_bytes{job="kubelet", metrics_path="/metrics"} > 0\nand\npredict_linear(kubelet_volume_stats_available_bytes{job="kubelet", metrics_path="/metrics"}[6h], 4 * 24 * 3600) < 0\nunless on(cluster, namespace, persistentvolumeclaim)\nkube_persistentvolumeclaim_access_mode{ access_mode="ReadOnlyMany"} == 1\nunless on(cluster, namespace, persistentvolumeclaim)\nkube_persistentvolumeclaim_labels{label_excluded_from_alerts="true"} == 1',
    for: '1h',
    summary: 'PersistentVolume is filling up.',
    description:
      'Based on recent sampling, the PersistentVolume claimed by {{ $labels.persistentvolumeclaim }} in Namespace {{ $labels.namespace }} {{ with $labels.cluster -}} on Cluster {{ . }} {{- end }} is expected to fill up within four days. Currently {{ $value | humanizePercentage }} is available.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepersistentvolumefillingup',
  },
  {
    name: 'CPUThrottlingHigh',
    severity: 'info',
    group: 'kubernetes-resources',
    expr: 'sum without (id, metrics_path, name, image, endpoint, job, node) (\n  topk by (cluster, namespace, pod, container, instance) (1,\n    increase(\n      container_cpu_cfs_throttled_periods_total{container!="", job="kubelet", metrics_path="/metrics/cadvisor", }\n    [5m])\n  )\n)\n/ on (cluster, namespace, pod, container, instance) group_left\nsum without (id, metrics_path, name, image, endpoint, job, node) (\n  topk by (cluster, namespace, pod, container, instance) (1,\n    increase(\n      container_cpu_cfs_periods_total{job="kubelet", metrics_path="/metrics/cadvisor", }\n    [5m])\n  )\n)\n> ( 25 / 100 )',
    for: '15m',
    summary: 'Processes experience elevated CPU throttling.',
    description:
      '{{ $value | humanizePercentage }} throttling of CPU in namespace {{ $labels.namespace }} for container {{ $labels.container }} in pod {{ $labels.pod }} on cluster {{ $labels.cluster }}.',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/cputhrottlinghigh',
  },
  {
    name: 'Watchdog',
    severity: 'none',
    group: 'general.rules',
    expr: 'vector(1)',
    for: null,
    summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
    description:
      'This is an alert meant to ensure that the entire alerting pipeline is functional.\nThis alert is always firing, therefore it should always be firing in Alertmanager\nand always fire against a receiver. There are integrations with various notification\nmechanisms that send a notification when this alert is not firing. For example the\n"DeadMansSnitch" integration in PagerDuty.\n',
    runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/general/watchdog',
  },
];
