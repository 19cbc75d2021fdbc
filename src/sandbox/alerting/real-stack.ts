/**
 * `--real-alerting`: Debian's `prometheus` and `prometheus-alertmanager` run on loopback with temporary
 * directories, configured by ./real-config.ts. Binaries are found on PATH (or PROMETHEUS_BIN /
 * ALERTMANAGER_BIN); when they are missing the error says what to install.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { alertmanagerYaml, prometheusYaml, rulesYaml } from './real-config.js';
import type { AlertTiming } from './timing.js';

export interface RealBinaries {
  prometheus: string;
  alertmanager: string;
}

function which(names: string[], env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of names) {
      const full = join(dir, name);
      try {
        accessSync(full, constants.X_OK);
        return full;
      } catch {}
    }
  return undefined;
}

/** The binaries, or the sentence to show when one is missing. */
export function findRealBinaries(
  env: Record<string, string | undefined>,
): { ok: true; bins: RealBinaries } | { ok: false; message: string } {
  const given = (v: string | undefined) => {
    const path = v?.trim();
    if (!path) return undefined;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      return undefined;
    }
  };
  const prometheus = env.PROMETHEUS_BIN?.trim() ? given(env.PROMETHEUS_BIN) : which(['prometheus'], env);
  const alertmanager = env.ALERTMANAGER_BIN?.trim()
    ? given(env.ALERTMANAGER_BIN)
    : which(['prometheus-alertmanager', 'alertmanager'], env);
  if (prometheus && alertmanager) return { ok: true, bins: { prometheus, alertmanager } };
  const missing = [!prometheus && 'prometheus', !alertmanager && 'prometheus-alertmanager']
    .filter(Boolean)
    .join(' and ');
  return {
    ok: false,
    message:
      `--real-alerting needs ${missing} (not found on PATH, or not executable at PROMETHEUS_BIN / ALERTMANAGER_BIN): install them with \`sudo apt-get install prometheus prometheus-alertmanager\` ` +
      '(or set PROMETHEUS_BIN / ALERTMANAGER_BIN), or run the sandbox without --real-alerting to use its built-in alerting.',
  };
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RealStackInput {
  bins: RealBinaries;
  host: string;
  timing: AlertTiming;
  simulatorUrl: string;
  extrasUrl: string;
  botUrl: string;
  token: string;
  /** Listen ports chosen beforehand (the bot is configured with the URLs before these start); 0 picks one. */
  ports?: { prometheus?: number; alertmanager?: number };
  /** Keep the temporary directory after stop (for debugging). */
  keepDir?: boolean;
  readyTimeoutMs?: number;
}

export interface RealStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  dir: string;
  /** What the two processes printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

function run(bin: string, args: string[], out: { text: string }, name: string): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    out.text = `${out.text}${d.toString('utf8').replace(/^/gm, `[${name}] `)}`.slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => {
    out.text += `[${name}] could not start: ${err.message}\n`;
  });
  return child;
}

async function untilReady(url: string, child: ChildProcess, deadline: number, what: string, out: { text: string }) {
  for (;;) {
    if (child.exitCode !== null || child.pid === undefined)
      throw new Error(`${what} exited (${child.exitCode ?? 'not started'}):\n${out.text.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${what} not ready at ${url} in time:\n${out.text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRealStack(input: RealStackInput): Promise<RealStack> {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-alerting-'));
  const out = { text: '' };
  const pPort = input.ports?.prometheus || (await freePort(input.host));
  const aPort = input.ports?.alertmanager || (await freePort(input.host));
  const prometheusUrl = `http://${input.host}:${pPort}`;
  const alertmanagerUrl = `http://${input.host}:${aPort}`;
  const rulesPath = join(dir, 'kube-prometheus-rules.yml');
  writeFileSync(rulesPath, rulesYaml(input.timing));
  writeFileSync(join(dir, 'prometheus.yml'), prometheusYaml({ ...input, alertmanagerUrl, rulesPath }));
  writeFileSync(join(dir, 'alertmanager.yml'), alertmanagerYaml(input));
  for (const d of ['prometheus-data', 'alertmanager-data']) mkdirSync(join(dir, d));
  const every = `${Math.max(1, Math.round(input.timing.evalMs / 1000))}s`;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.splice(0).map(stopChild));
    if (!input.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const am = run(
      input.bins.alertmanager,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=${input.host}:${aPort}`,
        `--web.external-url=${alertmanagerUrl}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      out,
      'alertmanager',
    );
    children.push(am);
    const prom = run(
      input.bins.prometheus,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=${input.host}:${pPort}`,
        `--web.external-url=${prometheusUrl}`,
        `--rules.alert.resend-delay=${every}`,
        '--log.level=warn',
      ],
      out,
      'prometheus',
    );
    children.push(prom);
    const deadline = Date.now() + (input.readyTimeoutMs ?? 30_000);
    await untilReady(alertmanagerUrl, am, deadline, 'Alertmanager', out);
    await untilReady(prometheusUrl, prom, deadline, 'Prometheus', out);
  } catch (err) {
    await stop();
    throw err;
  }
  return { prometheusUrl, alertmanagerUrl, dir, output: () => out.text, stop };
}
