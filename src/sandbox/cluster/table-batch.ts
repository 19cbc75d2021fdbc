import type { K8sObject } from './store.js';
import {
  AGE,
  age,
  col,
  containers,
  list,
  NAME,
  rec,
  selectorText,
  since,
  str,
  type TablePrinter,
} from './table-columns.js';
import { humanAge } from './time.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

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
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o, now) => {
      const s = rec(o.status);
      const c = containers(o);
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
        age(o, now),
        c.names,
        c.images,
        selectorText(rec(o.spec).selector),
      ];
    },
  },
  Job: {
    columns: [
      NAME,
      col('Status'),
      col('Completions'),
      col('Duration'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o, now) => {
      const c = containers(o);
      const completions = rec(o.spec).completions;
      const done = `${num(rec(o.status).succeeded)}/${completions === undefined ? 1 : String(completions)}`;
      return [
        o.metadata.name,
        jobStatus(o),
        done,
        jobDuration(o, now),
        age(o, now),
        c.names,
        c.images,
        selectorText(rec(o.spec).selector),
      ];
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
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o, now) => {
      const spec = rec(o.spec);
      const c = containers(o, 'jobTemplate');
      const last = rec(o.status).lastScheduleTime;
      return [
        o.metadata.name,
        str(spec.schedule, ''),
        str(spec.timeZone),
        spec.suspend === true,
        list(rec(o.status).active).length,
        last ? since(last, now) : '<none>',
        age(o, now),
        c.names,
        c.images,
        selectorText(rec(rec(spec.jobTemplate).spec).selector),
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
