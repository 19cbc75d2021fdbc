// Load generator for scripts/bench/alert-ingest.ts, run as a child process so it shares neither the server's
// event loop nor its memory. Posts Alertmanager webhook v4 bodies with fresh fingerprints over keep-alive
// connections: closed-loop (as fast as `concurrency` connections allow) or paced at `ratePerSec` bodies/s.
import { Agent, request } from 'node:http';

const { url, token, alertsPerBody, concurrency, durationMs, workloads, namespaces, seed, ratePerSec, totalBodies } =
  JSON.parse(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
let seq = 0;

function makeBody() {
  const alerts = [];
  for (let i = 0; i < alertsPerBody; i++) {
    const n = seq++;
    const w = n % workloads;
    const ns = `ns${w % namespaces}`;
    const names = ['KubePodCrashLooping', 'KubePodNotReady', 'KubeContainerWaiting', 'KubeDeploymentReplicasMismatch'];
    const alertname = names[Math.floor(n / workloads) % names.length];
    alerts.push({
      status: 'firing',
      labels: {
        alertname,
        namespace: ns,
        pod: `app${w}-5f7b9c8d4-${'bcdfg'[n % 5]}${'hjklm'[Math.floor(n / 5) % 5]}x2q`,
        container: 'main',
        severity: 'warning',
        cluster: 'bench',
        replica: String(n),
      },
      annotations: { summary: 'Pod is crash looping.', description: `pod ${n} restarting` },
      startsAt: '2026-11-25T08:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
      fingerprint: `${seed}-${n.toString(16)}`,
    });
  }
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{namespace="${alerts[0].labels.namespace}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'sre-nanobot',
    groupLabels: { namespace: alerts[0].labels.namespace },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  });
}

function post(body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies = [];
let errors = 0;
const started = performance.now();
const deadline = started + durationMs;
let sent = 0;

async function lane(index) {
  for (;;) {
    if (ratePerSec !== undefined) {
      if (sent >= (totalBodies ?? Math.floor((durationMs / 1000) * ratePerSec))) return;
      // Paced: body k is due at k / ratePerSec seconds.
      const due = started + (sent / ratePerSec) * 1000;
      sent++;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else if (performance.now() >= deadline) return;
    const r = await post(makeBody());
    if (r.status !== 200) errors++;
    latencies.push(r.ms);
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i)));
const elapsedMs = performance.now() - started;
agent.destroy();
process.send({ latencies, errors, elapsedMs }, () => process.exit(0));
