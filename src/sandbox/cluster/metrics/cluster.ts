import { as, controllerOf, type Deployment, type Node, parseBytes, parseCpu } from '../objects.js';
import type { ClusterStore, K8sObject } from '../store.js';
import { b, type Exposition, secs, tri } from './exposition.js';

export function workloads(m: Exposition, store: ClusterStore): void {
  for (const raw of store.list('Deployment')) {
    const d = as<Deployment>(raw);
    const l = { namespace: d.metadata.namespace ?? '', deployment: d.metadata.name };
    const s = d.status ?? {};
    m.add('kube_deployment_created', 'gauge', 'Unix creation timestamp', l, secs(d.metadata.creationTimestamp));
    m.add('kube_deployment_spec_replicas', 'gauge', 'Number of desired pods for a deployment.', l, d.spec.replicas);
    m.add(
      'kube_deployment_spec_paused',
      'gauge',
      'Whether the deployment is paused and will not be processed by the deployment controller.',
      l,
      b(Boolean(d.spec.paused)),
    );
    m.add('kube_deployment_status_replicas', 'gauge', 'The number of replicas per deployment.', l, s.replicas ?? 0);
    m.add(
      'kube_deployment_status_replicas_ready',
      'gauge',
      'The number of ready replicas per deployment.',
      l,
      s.readyReplicas ?? 0,
    );
    m.add(
      'kube_deployment_status_replicas_available',
      'gauge',
      'The number of available replicas per deployment.',
      l,
      s.availableReplicas ?? 0,
    );
    m.add(
      'kube_deployment_status_replicas_unavailable',
      'gauge',
      'The number of unavailable replicas per deployment.',
      l,
      s.unavailableReplicas ?? 0,
    );
    m.add(
      'kube_deployment_status_replicas_updated',
      'gauge',
      'The number of updated replicas per deployment.',
      l,
      s.updatedReplicas ?? 0,
    );
    m.add(
      'kube_deployment_status_observed_generation',
      'gauge',
      'The generation observed by the deployment controller.',
      l,
      s.observedGeneration ?? 0,
    );
    m.add(
      'kube_deployment_metadata_generation',
      'gauge',
      'Sequence number representing a specific generation of the desired state.',
      l,
      d.metadata.generation ?? 0,
    );
    for (const c of s.conditions ?? [])
      tri(
        m,
        'kube_deployment_status_condition',
        'The current status conditions of a deployment.',
        { ...l, condition: c.type },
        c.status,
      );
  }
  for (const rs of store.list('ReplicaSet')) {
    const l = { namespace: rs.metadata.namespace ?? '', replicaset: rs.metadata.name };
    const owner = controllerOf(rs);
    m.add(
      'kube_replicaset_owner',
      'gauge',
      "Information about the ReplicaSet's owner.",
      {
        ...l,
        owner_kind: owner?.kind ?? '<none>',
        owner_name: owner?.name ?? '<none>',
        owner_is_controller: owner ? 'true' : '<none>',
      },
      1,
    );
    const st = (rs.status ?? {}) as { replicas?: number; readyReplicas?: number; observedGeneration?: number };
    m.add(
      'kube_replicaset_spec_replicas',
      'gauge',
      'Number of desired pods for a ReplicaSet.',
      l,
      Number(rs.spec?.replicas ?? 0),
    );
    m.add('kube_replicaset_status_replicas', 'gauge', 'The number of replicas per ReplicaSet.', l, st.replicas ?? 0);
    m.add(
      'kube_replicaset_status_ready_replicas',
      'gauge',
      'The number of ready replicas per ReplicaSet.',
      l,
      st.readyReplicas ?? 0,
    );
    m.add(
      'kube_replicaset_status_observed_generation',
      'gauge',
      'The generation observed by the ReplicaSet controller.',
      l,
      st.observedGeneration ?? 0,
    );
    m.add(
      'kube_replicaset_metadata_generation',
      'gauge',
      'Sequence number representing a specific generation of the desired state.',
      l,
      rs.metadata.generation ?? 0,
    );
  }
}

export function nodes(m: Exposition, store: ClusterStore): void {
  for (const raw of store.list('Node')) {
    const n = as<Node>(raw);
    const l = { node: n.metadata.name };
    const info = (n.status.nodeInfo ?? {}) as Record<string, string>;
    m.add(
      'kube_node_info',
      'gauge',
      'Information about a cluster node.',
      {
        ...l,
        kernel_version: info.kernelVersion ?? '',
        os_image: info.osImage ?? '',
        container_runtime_version: info.containerRuntimeVersion ?? '',
        kubelet_version: info.kubeletVersion ?? '',
        kubeproxy_version: info.kubeProxyVersion ?? '',
        provider_id: String(n.spec.providerID ?? ''),
        pod_cidr: n.spec.podCIDR ?? '',
        internal_ip: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '',
        system_uuid: info.systemUUID ?? '',
      },
      1,
    );
    m.add(
      'kube_node_spec_unschedulable',
      'gauge',
      'Whether a node can schedule new pods.',
      l,
      b(Boolean(n.spec.unschedulable)),
    );
    for (const t of n.spec.taints ?? [])
      m.add(
        'kube_node_spec_taint',
        'gauge',
        'The taint of a cluster node.',
        { ...l, key: t.key, value: t.value ?? '', effect: t.effect },
        1,
      );
    for (const c of n.status.conditions ?? [])
      tri(m, 'kube_node_status_condition', 'The condition of a cluster node.', { ...l, condition: c.type }, c.status);
    for (const [kind, values] of [
      ['capacity', n.status.capacity],
      ['allocatable', n.status.allocatable],
    ] as const)
      for (const [resource, q] of Object.entries(values ?? {})) {
        const unit = resource === 'cpu' ? 'core' : resource === 'pods' ? 'integer' : 'byte';
        const v = resource === 'cpu' ? parseCpu(q) : resource === 'pods' ? Number(q) : parseBytes(q);
        m.add(
          `kube_node_status_${kind}`,
          'gauge',
          `The ${kind} for different resources of a node.`,
          { ...l, resource: resource.replace(/-/g, '_'), unit },
          v,
        );
      }
  }
}

export function storage(m: Exposition, store: ClusterStore): void {
  for (const pvc of store.list('PersistentVolumeClaim')) {
    const l = { namespace: pvc.metadata.namespace ?? '', persistentvolumeclaim: pvc.metadata.name };
    const spec = (pvc.spec ?? {}) as {
      storageClassName?: string;
      volumeName?: string;
      volumeMode?: string;
      accessModes?: string[];
      resources?: { requests?: { storage?: string } };
    };
    const phase = (pvc.status as { phase?: string } | undefined)?.phase ?? 'Pending';
    m.add(
      'kube_persistentvolumeclaim_info',
      'gauge',
      'Information about persistent volume claim.',
      {
        ...l,
        storageclass: spec.storageClassName ?? '',
        volumename: spec.volumeName ?? '',
        volumemode: spec.volumeMode ?? 'Filesystem',
      },
      1,
    );
    for (const p of ['Lost', 'Bound', 'Pending'])
      m.add(
        'kube_persistentvolumeclaim_status_phase',
        'gauge',
        'The phase the persistent volume claim is currently in.',
        { ...l, phase: p },
        b(phase === p),
      );
    m.add(
      'kube_persistentvolumeclaim_resource_requests_storage_bytes',
      'gauge',
      'The capacity of storage requested by the persistent volume claim.',
      l,
      parseBytes(spec.resources?.requests?.storage),
    );
    for (const a of spec.accessModes ?? [])
      m.add(
        'kube_persistentvolumeclaim_access_mode',
        'gauge',
        'The access mode(s) specified by the persistent volume claim.',
        { ...l, access_mode: a },
        1,
      );
    if (phase === 'Bound' && spec.volumeName) volume(m, spec.volumeName, pvc, spec.storageClassName ?? '');
  }
}

/** The dynamically provisioned PersistentVolume behind a Bound claim. */
function volume(m: Exposition, name: string, pvc: K8sObject, storageclass: string): void {
  const l = { persistentvolume: name };
  const capacity = (pvc.status as { capacity?: { storage?: string } } | undefined)?.capacity?.storage;
  m.add('kube_persistentvolume_info', 'gauge', 'Information about persistentvolume.', { ...l, storageclass }, 1);
  m.add(
    'kube_persistentvolume_claim_ref',
    'gauge',
    'Information about the Persistent Volume Claim Reference.',
    { ...l, claim_namespace: pvc.metadata.namespace ?? '', name: pvc.metadata.name },
    1,
  );
  for (const p of ['Pending', 'Available', 'Bound', 'Released', 'Failed'])
    m.add(
      'kube_persistentvolume_status_phase',
      'gauge',
      'The phase indicates if a volume is available, bound to a claim, or released by a claim.',
      { ...l, phase: p },
      b(p === 'Bound'),
    );
  m.add(
    'kube_persistentvolume_capacity_bytes',
    'gauge',
    'Persistentvolume capacity in bytes.',
    l,
    parseBytes(capacity),
  );
}

export function autoscalers(m: Exposition, store: ClusterStore): void {
  for (const h of store.list('HorizontalPodAutoscaler')) {
    const l = { namespace: h.metadata.namespace ?? '', horizontalpodautoscaler: h.metadata.name };
    const spec = (h.spec ?? {}) as {
      minReplicas?: number;
      maxReplicas?: number;
      scaleTargetRef?: { kind?: string; name?: string; apiVersion?: string };
      metrics?: { resource?: { name?: string; target?: { type?: string; averageUtilization?: number } } }[];
    };
    const st = (h.status ?? {}) as {
      currentReplicas?: number;
      desiredReplicas?: number;
      conditions?: { type: string; status: string }[];
    };
    m.add(
      'kube_horizontalpodautoscaler_info',
      'gauge',
      'Information about this autoscaler.',
      {
        ...l,
        scaletargetref_api_version: spec.scaleTargetRef?.apiVersion ?? '',
        scaletargetref_kind: spec.scaleTargetRef?.kind ?? '',
        scaletargetref_name: spec.scaleTargetRef?.name ?? '',
      },
      1,
    );
    m.add(
      'kube_horizontalpodautoscaler_spec_max_replicas',
      'gauge',
      'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.',
      l,
      spec.maxReplicas ?? 0,
    );
    m.add(
      'kube_horizontalpodautoscaler_spec_min_replicas',
      'gauge',
      'Lower limit for the number of pods that can be set by the autoscaler, default 1.',
      l,
      spec.minReplicas ?? 1,
    );
    for (const x of spec.metrics ?? [])
      if (x.resource?.target?.averageUtilization !== undefined)
        m.add(
          'kube_horizontalpodautoscaler_spec_target_metric',
          'gauge',
          'The metric specifications used by this autoscaler when calculating the desired replica count.',
          { ...l, metric_name: x.resource.name ?? '', metric_target_type: 'utilization' },
          x.resource.target.averageUtilization,
        );
    m.add(
      'kube_horizontalpodautoscaler_status_current_replicas',
      'gauge',
      'Current number of replicas of pods managed by this autoscaler.',
      l,
      st.currentReplicas ?? 0,
    );
    m.add(
      'kube_horizontalpodautoscaler_status_desired_replicas',
      'gauge',
      'Desired number of replicas of pods managed by this autoscaler.',
      l,
      st.desiredReplicas ?? 0,
    );
    for (const c of st.conditions ?? [])
      tri(
        m,
        'kube_horizontalpodautoscaler_status_condition',
        'The condition of this autoscaler.',
        { ...l, condition: c.type },
        c.status,
      );
  }
}

export function services(m: Exposition, store: ClusterStore): void {
  for (const ns of store.list('Namespace'))
    for (const p of ['Active', 'Terminating'])
      m.add(
        'kube_namespace_status_phase',
        'gauge',
        'kubernetes namespace status phase.',
        { namespace: ns.metadata.name, phase: p },
        b((ns.status as { phase?: string } | undefined)?.phase === p),
      );
  for (const s of store.list('Service')) {
    const spec = (s.spec ?? {}) as { clusterIP?: string; type?: string };
    m.add(
      'kube_service_info',
      'gauge',
      'Information about service.',
      {
        namespace: s.metadata.namespace ?? '',
        service: s.metadata.name,
        uid: s.metadata.uid ?? '',
        cluster_ip: spec.clusterIP ?? '',
        external_name: '',
        load_balancer_ip: '',
      },
      1,
    );
  }
  for (const ep of store.list('Endpoints')) {
    const l = { namespace: ep.metadata.namespace ?? '', endpoint: ep.metadata.name };
    m.add('kube_endpoint_info', 'gauge', 'Information about endpoint.', l, 1);
    for (const sub of (ep.subsets ?? []) as { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }[]) {
      for (const a of sub.addresses ?? [])
        m.add(
          'kube_endpoint_address',
          'gauge',
          'Information about Endpoint available and non available addresses.',
          { ...l, ip: a.ip, ready: 'true' },
          1,
        );
      for (const a of sub.notReadyAddresses ?? [])
        m.add(
          'kube_endpoint_address',
          'gauge',
          'Information about Endpoint available and non available addresses.',
          { ...l, ip: a.ip, ready: 'false' },
          1,
        );
    }
  }
}
