/**
 * Command text as people type it: full-width slash, spaces, commas and quotes become their ASCII forms;
 * `tokenize` splits the rest into positional words, `--flag value` / `--flag=value` / `-n ns` flags and
 * `key=value` pairs, honouring quotes. `parseRef` reads `kind/name` with kubectl short names.
 */

export interface Tokens {
  positional: string[];
  flags: Record<string, string | true>;
  kv: Record<string, string>;
}

const SHORT_FLAGS: Record<string, string> = { n: 'namespace', c: 'container', p: 'previous' };
/** Flags that never take a value. */
const BOOLEAN_FLAGS = new Set(['previous', 'all']);

/** Full-width forms folded to ASCII; `，` and `、` separate like spaces. */
export function normaliseCommandText(s: string): string {
  return s
    .replace(/[，、]/g, ' ')
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .normalize('NFKC');
}

function words(rest: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? '';
    // key="quoted value" arrives as key=" + … ; rejoin it
    out.push(raw.replace(/^(\w[\w.-]*=)["'](.*)["']$/, '$1$2'));
  }
  return out;
}

export function tokenize(rest: string): Tokens {
  const tokens: Tokens = { positional: [], flags: {}, kv: {} };
  const ws = words(normaliseCommandText(rest));
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] as string;
    const long = /^--([a-z][\w-]*)(?:=(.*))?$/i.exec(w);
    const short = /^-([a-z])$/i.exec(w);
    const name = long
      ? (long[1] as string).toLowerCase()
      : short
        ? (SHORT_FLAGS[short[1] as string] ?? short[1])
        : undefined;
    if (name !== undefined) {
      if (long?.[2] !== undefined) tokens.flags[name] = long[2];
      else if (!BOOLEAN_FLAGS.has(name) && ws[i + 1] !== undefined && !(ws[i + 1] as string).startsWith('-')) {
        tokens.flags[name] = ws[++i] as string;
      } else tokens.flags[name] = true;
      continue;
    }
    const kv = /^([a-z][\w.-]*)=(.*)$/i.exec(w);
    if (kv && !w.includes('/')) tokens.kv[(kv[1] as string).toLowerCase()] = kv[2] as string;
    else tokens.positional.push(w);
  }
  return tokens;
}

const KIND_NAMES: Record<string, string> = {
  po: 'Pod',
  pod: 'Pod',
  pods: 'Pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
  pvc: 'PersistentVolumeClaim',
  persistentvolumeclaim: 'PersistentVolumeClaim',
  no: 'Node',
  node: 'Node',
  nodes: 'Node',
  job: 'Job',
  jobs: 'Job',
  cj: 'CronJob',
  cronjob: 'CronJob',
  ing: 'Ingress',
  ingress: 'Ingress',
  hpa: 'HorizontalPodAutoscaler',
};

export interface KindAndName {
  kind: string;
  name: string;
}

/** `deploy/web` → Deployment web; a bare name is a Pod. `undefined` for an unknown kind. */
export function parseRef(s: string): KindAndName | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return /^[a-z0-9][-a-z0-9.]*$/.test(s) ? { kind: 'Pod', name: s } : undefined;
  const kind = KIND_NAMES[s.slice(0, slash).toLowerCase()];
  const name = s.slice(slash + 1);
  return kind && /^[a-z0-9][-a-z0-9.]*$/.test(name) ? { kind, name } : undefined;
}
