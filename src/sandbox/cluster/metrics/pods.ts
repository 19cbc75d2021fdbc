import { as, controllerOf, findCondition, type Pod, parseBytes, parseCpu } from '../objects.js';
import type { ClusterStore } from '../store.js';
import { b, type Exposition, type MetricsOptions, PHASES, POD_REASONS, secs } from './exposition.js';

/** Pod and container series, plus cAdvisor-style usage for running containers. */
export function pods(m: Exposition, store: ClusterStore, opts: MetricsOptions): void {
  const now = opts.now ?? store.clock.now();
  for (const raw of store.list('Pod')) {
    const p = as<Pod>(raw);
    const base = { namespace: p.metadata.namespace ?? '', pod: p.metadata.name, uid: p.metadata.uid ?? '' };
    const owner = controllerOf(raw);
    m.add(
      'kube_pod_info',
      'gauge',
      'Information about pod.',
      {
        ...base,
        host_ip: p.status?.hostIP ?? '',
        pod_ip: p.status?.podIP ?? '',
        node: p.spec.nodeName ?? '',
        created_by_kind: owner?.kind ?? '<none>',
        created_by_name: owner?.name ?? '<none>',
        priority_class: String(p.spec.priorityClassName ?? ''),
        host_network: 'false',
      },
      1,
    );
    m.add(
      'kube_pod_owner',
      'gauge',
      "Information about the Pod's owner.",
      {
        ...base,
        owner_kind: owner?.kind ?? '<none>',
        owner_name: owner?.name ?? '<none>',
        owner_is_controller: owner ? 'true' : '<none>',
      },
      1,
    );
    m.add('kube_pod_created', 'gauge', 'Unix creation timestamp', base, secs(p.metadata.creationTimestamp));
    if (p.status?.startTime)
      m.add('kube_pod_start_time', 'gauge', 'Start time in unix timestamp for a pod.', base, secs(p.status.startTime));
    for (const phase of PHASES)
      m.add(
        'kube_pod_status_phase',
        'gauge',
        'The pods current phase.',
        { ...base, phase },
        b(p.status?.phase === phase),
      );
    for (const reason of POD_REASONS)
      m.add(
        'kube_pod_status_reason',
        'gauge',
        'The pod status reasons',
        { ...base, reason },
        b(p.status?.reason === reason),
      );
    const ready = findCondition(p.status?.conditions, 'Ready');
    if (ready)
      for (const s of ['true', 'false', 'unknown'])
        m.add(
          'kube_pod_status_ready',
          'gauge',
          'Describes whether the pod is ready to serve requests.',
          { ...base, condition: s },
          b(ready.status.toLowerCase() === s),
        );
    const sched = findCondition(p.status?.conditions, 'PodScheduled');
    if (sched) {
      for (const s of ['true', 'false', 'unknown'])
        m.add(
          'kube_pod_status_scheduled',
          'gauge',
          'Describes the status of the scheduling process for the pod.',
          { ...base, condition: s },
          b(sched.status.toLowerCase() === s),
        );
      if (sched.status === 'False' && sched.reason === 'Unschedulable')
        m.add('kube_pod_status_unschedulable', 'gauge', 'Describes the unschedulable status for the pod.', base, 1);
    }
    for (const c of p.spec.containers) {
      const cl = { ...base, container: c.name };
      for (const [kind, values] of [
        ['requests', c.resources?.requests],
        ['limits', c.resources?.limits],
      ] as const) {
        const name = `kube_pod_container_resource_${kind}`;
        const help = `The number of requested ${kind === 'requests' ? 'request' : 'limit'} resource by a container.`;
        const node = p.spec.nodeName ?? '';
        if (values?.cpu)
          m.add(name, 'gauge', help, { ...cl, node, resource: 'cpu', unit: 'core' }, parseCpu(values.cpu));
        if (values?.memory)
          m.add(name, 'gauge', help, { ...cl, node, resource: 'memory', unit: 'byte' }, parseBytes(values.memory));
      }
    }
    for (const cs of p.status?.containerStatuses ?? []) {
      const cl = { ...base, container: cs.name };
      m.add(
        'kube_pod_container_info',
        'gauge',
        'Information about a container in a pod.',
        {
          ...cl,
          image_spec: cs.image,
          image: cs.image,
          image_id: cs.imageID,
          container_id: cs.containerID ?? '',
        },
        1,
      );
      m.add(
        'kube_pod_container_status_restarts_total',
        'counter',
        'The number of container restarts per container.',
        cl,
        cs.restartCount,
      );
      m.add(
        'kube_pod_container_status_ready',
        'gauge',
        'Describes whether the containers readiness check succeeded.',
        cl,
        b(cs.ready),
      );
      m.add(
        'kube_pod_container_status_running',
        'gauge',
        'Describes whether the container is currently in running state.',
        cl,
        b(Boolean(cs.state.running)),
      );
      m.add(
        'kube_pod_container_status_waiting',
        'gauge',
        'Describes whether the container is currently in waiting state.',
        cl,
        b(Boolean(cs.state.waiting)),
      );
      m.add(
        'kube_pod_container_status_terminated',
        'gauge',
        'Describes whether the container is currently in terminated state.',
        cl,
        b(Boolean(cs.state.terminated)),
      );
      if (cs.state.waiting)
        m.add(
          'kube_pod_container_status_waiting_reason',
          'gauge',
          'Describes the reason the container is currently in waiting state.',
          { ...cl, reason: cs.state.waiting.reason },
          1,
        );
      if (cs.state.terminated)
        m.add(
          'kube_pod_container_status_terminated_reason',
          'gauge',
          'Describes the reason the container is currently in terminated state.',
          { ...cl, reason: cs.state.terminated.reason },
          1,
        );
      const last = cs.lastState.terminated;
      if (last) {
        m.add(
          'kube_pod_container_status_last_terminated_reason',
          'gauge',
          'Describes the last reason the container was in terminated state.',
          { ...cl, reason: last.reason },
          1,
        );
        m.add(
          'kube_pod_container_status_last_terminated_exitcode',
          'gauge',
          'Describes the exit code for the last container in terminated state.',
          cl,
          last.exitCode,
        );
      }
      if (cs.state.running && opts.usage) {
        const u = opts.usage(cs.image);
        const up = Math.max(0, now - Date.parse(cs.state.running.startedAt)) / 1000;
        const cl2 = {
          namespace: base.namespace,
          pod: base.pod,
          container: cs.name,
          image: cs.image,
          node: p.spec.nodeName ?? '',
        };
        m.add(
          'container_memory_working_set_bytes',
          'gauge',
          'Current working set of the container in bytes',
          cl2,
          memoryInUse(u.memoryBytes, p.spec.containers.find((c) => c.name === cs.name)?.resources?.limits?.memory),
        );
        m.add(
          'container_cpu_usage_seconds_total',
          'counter',
          'Cumulative cpu time consumed in seconds',
          cl2,
          Math.round(u.cpuCores * up * 1000) / 1000,
        );
      }
    }
  }
}

/** A process never holds more than its cgroup limit: near it, the OOM killer steps in. */
function memoryInUse(need: number, limit: string | undefined): number {
  const max = parseBytes(limit);
  return max > 0 && need > max ? Math.round(max * 0.97) : need;
}
