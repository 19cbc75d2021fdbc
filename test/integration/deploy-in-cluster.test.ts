/**
 * The bot in in-cluster mode, as a pod runs it: the API server from KUBERNETES_SERVICE_HOST/PORT over HTTPS,
 * trusted through the mounted ca.crt, authenticated with the mounted service account token. The cluster
 * simulator sits behind a TLS front (a self-signed certificate for 127.0.0.1 made with openssl) that records
 * the Authorization header of every request. Unprivileged: the service account files live under a temporary
 * directory named by `clusters[].service_account_root` (client-node's own `pathPrefix` for loadFromCluster),
 * instead of /var/run/secrets. A second start with the wrong CA proves the CA is really checked.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { type BotProcess, startBot, tenantEnv } from '../helpers/bot-process.js';
import { seedShop } from '../helpers/seed-cluster.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sre-nanobot-service-account-token.sig';
const SA = 'var/run/secrets/kubernetes.io/serviceaccount';

/** A self-signed certificate for 127.0.0.1 in `dir` (cert.pem, key.pem). */
function selfSigned(dir: string, cn: string): { cert: string; key: string } {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}

describe.skipIf(!hasOpenssl())('in-cluster start', () => {
  let dir: string;
  let sim: ClusterSimulator;
  let front: Server;
  let port: number;
  const seen: { path: string; authorization: string | undefined }[] = [];
  const bots: BotProcess[] = [];

  /** Service account files under `root`, trusting `ca`. */
  function mount(root: string, ca: string): void {
    mkdirSync(join(root, SA), { recursive: true });
    writeFileSync(join(root, SA, 'token'), TOKEN);
    writeFileSync(join(root, SA, 'ca.crt'), ca);
    writeFileSync(join(root, SA, 'namespace'), 'sre-nanobot');
  }
  function start(root: string, name: string): BotProcess {
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, `clusters:\n  - name: prod\n    in_cluster: true\n    service_account_root: ${root}\n`);
    const bot = startBot(
      tenantEnv({
        SRE_NANOBOT_CONFIG: config,
        DATABASE_PATH: join(dir, `${name}.db`),
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(port),
      }),
    );
    bots.push(bot);
    return bot;
  }
  const readiness = async (p: number) =>
    (await (await fetch(`http://127.0.0.1:${p}/readyz`)).json()) as {
      checks: Record<string, { ok: boolean; detail?: string }>;
    };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-in-cluster-'));
    sim = await startClusterSimulator();
    seedShop(sim.store);
    const tls = selfSigned(dir, 'kubernetes');
    const target = new URL(sim.url);
    front = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      seen.push({ path: req.url ?? '/', authorization: req.headers.authorization });
      const up = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    port = (front.address() as AddressInfo).port;
    mount(join(dir, 'good'), tls.cert);
    mkdirSync(join(dir, 'other'));
    mount(join(dir, 'wrong-ca'), selfSigned(join(dir, 'other'), 'someone-else').cert);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await new Promise<void>((resolve) => front?.close(() => resolve()));
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the API server over HTTPS with the mounted token and CA; the cluster check is ready', async () => {
    const bot = start(join(dir, 'good'), 'good');
    const p = await bot.listening;
    const r = await readiness(p);
    expect(r.checks.cluster, bot.output()).toEqual({ ok: true });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(bot.output()).not.toContain('Kubernetes unavailable');
  }, 60_000);

  it('with a CA that did not sign the server certificate, the cluster is not ready and the reason says so', async () => {
    await Promise.all(bots.map((b) => b.stop())); // the first bot makes no more requests
    const before = seen.length;
    const bot = start(join(dir, 'wrong-ca'), 'wrong-ca');
    const p = await bot.listening;
    const r = await readiness(p);
    expect(r.checks.cluster?.ok).toBe(false);
    expect(r.checks.cluster?.detail).toMatch(/prod: .*(self[- ]signed|certificate|verify)/i);
    expect(seen.length).toBe(before); // no request got past the TLS handshake
  }, 60_000);
});
