import type { ImageProfile } from '../images.js';
import type { Container, Probe } from '../objects.js';

export interface ProbeResult {
  ok: boolean;
  /** The kubelet's failure text, without the "Readiness probe failed: " prefix. */
  message?: string;
}

function resolvePort(c: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

function listens(c: Container, profile: ImageProfile, port: number): boolean {
  const ports = profile.ports ?? (c.ports ?? []).map((p) => p.containerPort);
  return ports.length === 0 || ports.includes(port);
}

/** Runs a probe against the simulated process: is something listening, does the path answer 200? */
export function probe(c: Container, p: Probe, profile: ImageProfile, podIP: string, uptimeMs: number): ProbeResult {
  if (p.exec) return { ok: uptimeMs >= profile.readyAfterMs };
  const target = p.httpGet ?? p.tcpSocket;
  if (!target) return { ok: true };
  const port = resolvePort(c, target.port);
  if (port === undefined) return { ok: false, message: `strconv.Atoi: parsing "${target.port}": invalid syntax` };
  if (!listens(c, profile, port)) {
    const dial = `dial tcp ${podIP}:${port}: connect: connection refused`;
    if (!p.httpGet) return { ok: false, message: dial };
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    return { ok: false, message: `Get "${scheme}://${podIP}:${port}${p.httpGet.path ?? '/'}": ${dial}` };
  }
  if (uptimeMs < profile.readyAfterMs) return { ok: false };
  if (!p.httpGet) return { ok: true };
  const path = p.httpGet.path ?? '/';
  if (profile.healthPath && path !== profile.healthPath)
    return { ok: false, message: 'HTTP probe failed with statuscode: 404' };
  if (profile.unhealthyStatus)
    return { ok: false, message: `HTTP probe failed with statuscode: ${profile.unhealthyStatus}` };
  return { ok: true };
}
