import type { K8sObject } from './store.js';
import {
  AGE,
  age,
  col,
  containers,
  list,
  NAME,
  num,
  rec,
  since,
  str,
  type TablePrinter,
  WORKLOAD_TAIL,
  workloadTail,
} from './table-columns.js';
import { humanAge } from './time.js';

function jobStatus(o: K8sObject): string {
  const conds = list(rec(o.status).conditions).filter((c) => c.status === 'True');
  for (const type of ['Failed', 'Complete', 'Suspended', 'FailureTarget', 'SuccessCriteriaMet'])
    if (conds.some((c) => c.type === type)) return type;
  return 'Running';
}

function jobDuration(o: K8sObject, now: number): string {
  const s = rec(o.status);
  const start = Date.parse(String(s.startTime ?? ''));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(String(s.completionTime ?? ''));
  return humanAge((Number.isNaN(end) ? now : end) - start);
}

export const batchTables: Record<string, TablePrinter> = {
  StatefulSet: {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    row: (o, now) => {
      const c = containers(o);
      return [
        o.metadata.name,
        `${num(rec(o.status).readyReplicas)}/${num(rec(o.spec).replicas)}`,
        age(o, now),
        c.names,
        c.images,
      ];
    },
  },
  DaemonSet: {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      ...WORKLOAD_TAIL,
    ],
    row: (o, now) => {
      const s = rec(o.status);
      const nodeSel = Object.entries(rec(rec(rec(rec(o.spec).template).spec).nodeSelector))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      return [
        o.metadata.name,
        num(s.desiredNumberScheduled),
        num(s.currentNumberScheduled),
        num(s.numberReady),
        num(s.updatedNumberScheduled),
        num(s.numberAvailable),
        nodeSel || '<none>',
        ...workloadTail(o, now),
      ];
    },
  },
  Job: {
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), ...WORKLOAD_TAIL],
    row: (o, now) => {
      const completions = rec(o.spec).completions;
      const done = `${num(rec(o.status).succeeded)}/${completions === undefined ? 1 : String(completions)}`;
      return [o.metadata.name, jobStatus(o), done, jobDuration(o, now), ...workloadTail(o, now)];
    },
  },
  CronJob: {
    columns: [
      NAME,
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      ...WORKLOAD_TAIL,
    ],
    row: (o, now) => {
      const spec = rec(o.spec);
      const last = rec(o.status).lastScheduleTime;
      return [
        o.metadata.name,
        str(spec.schedule, ''),
        str(spec.timeZone),
        spec.suspend === true,
        list(rec(o.status).active).length,
        last ? since(last, now) : '<none>',
        ...workloadTail(o, now, 'jobTemplate'),
      ];
    },
  },
  Ingress: {
    columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
    row: (o, now) => {
      const spec = rec(o.spec);
      const hosts = list(spec.rules).map((r) => String(r.host ?? '*'));
      const addr = list(rec(rec(o.status).loadBalancer).ingress).map((i) => String(i.ip ?? i.hostname ?? ''));
      return [
        o.metadata.name,
        str(spec.ingressClassName),
        hosts.join(',') || '*',
        addr.join(','),
        list(spec.tls).length > 0 ? '80, 443' : '80',
        age(o, now),
      ];
    },
  },
};
