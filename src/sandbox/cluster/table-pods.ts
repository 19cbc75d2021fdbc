import type { K8sObject } from './store.js';
import { AGE, type Cell, type ColumnDefinition, col, list, NAME, rec } from './table-columns.js';
import { humanAge } from './time.js';

export const podColumns: ColumnDefinition[] = [
  NAME,
  col('Ready'),
  col('Status'),
  col('Restarts'),
  AGE,
  col('IP', 'string', 1),
  col('Node', 'string', 1),
  col('Nominated Node', 'string', 1),
  col('Readiness Gates', 'string', 1),
];

/** The STATUS column as kubectl computes it (waiting/terminated reasons win over the phase). */
export function podStatusReason(pod: K8sObject): string {
  const status = rec(pod.status);
  let reason = String(status.reason ?? status.phase ?? 'Pending');
  const inits = list(status.initContainerStatuses);
  let initializing = false;
  inits.forEach((c, i) => {
    const term = rec(rec(c.state).terminated);
    const waiting = rec(rec(c.state).waiting);
    if (term.exitCode === 0) return;
    initializing = true;
    if (Object.keys(term).length > 0)
      reason = term.reason ? `Init:${String(term.reason)}` : `Init:ExitCode:${String(term.exitCode)}`;
    else if (waiting.reason && waiting.reason !== 'PodInitializing') reason = `Init:${String(waiting.reason)}`;
    else reason = `Init:${i}/${inits.length}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...list(status.containerStatuses)].reverse()) {
      const state = rec(c.state);
      const waiting = rec(state.waiting);
      const term = rec(state.terminated);
      if (waiting.reason) reason = String(waiting.reason);
      else if (term.reason) reason = String(term.reason);
      else if (Object.keys(term).length > 0)
        reason = term.signal ? `Signal:${String(term.signal)}` : `ExitCode:${String(term.exitCode)}`;
      else if (state.running && c.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = list(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function restarts(pod: K8sObject, now: number): string {
  const statuses = list(rec(pod.status).containerStatuses);
  const total = statuses.reduce((n, c) => n + Number(c.restartCount ?? 0), 0);
  const last = Math.max(
    ...statuses.map((c) => Date.parse(String(rec(rec(c.lastState).terminated).finishedAt ?? '')) || 0),
    0,
  );
  return total > 0 && last > 0 ? `${total} (${humanAge(now - last)} ago)` : String(total);
}

export function podRow(pod: K8sObject, now: number): Cell[] {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const containers = list(spec.containers);
  const ready = list(status.containerStatuses).filter((c) => c.ready === true).length;
  const created = Date.parse(pod.metadata.creationTimestamp ?? '');
  const gates = list(spec.readinessGates);
  return [
    pod.metadata.name,
    `${ready}/${containers.length}`,
    podStatusReason(pod),
    restarts(pod, now),
    Number.isNaN(created) ? '<unknown>' : humanAge(now - created),
    String(status.podIP ?? '<none>'),
    String(spec.nodeName ?? '<none>'),
    String(status.nominatedNodeName ?? '<none>'),
    gates.length > 0 ? `0/${gates.length}` : '<none>',
  ];
}
