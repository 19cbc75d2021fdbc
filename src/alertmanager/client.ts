/** AlertmanagerPort over HTTP (API v2) with fetch; errors carry the upstream status and body. */
import type { AlertmanagerPort, NewSilence, SilenceState } from '../ports/alertmanager.js';
import { CodedError } from '../shared/errors.js';

export class AlertmanagerClient implements AlertmanagerPort {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async createSilence(silence: NewSilence): Promise<string> {
    const res = await this.request('POST', '/api/v2/silences', silence);
    const body = (await res.json()) as { silenceID?: string };
    if (!body.silenceID) throw new CodedError('upstream_error', 'Alertmanager answered without a silenceID');
    return body.silenceID;
  }

  async getSilence(id: string): Promise<{ id: string; state: SilenceState; endsAt: string } | undefined> {
    const res = await this.request('GET', `/api/v2/silence/${encodeURIComponent(id)}`, undefined, [404]);
    if (res.status === 404) return undefined;
    const body = (await res.json()) as { id: string; status?: { state?: SilenceState }; endsAt: string };
    return { id: body.id, state: body.status?.state ?? 'active', endsAt: body.endsAt };
  }

  private async request(method: string, path: string, body?: unknown, allow: number[] = []): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new CodedError('upstream_error', `Alertmanager ${method} ${path} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!res.ok && !allow.includes(res.status)) {
      const text = (await res.text()).slice(0, 500);
      throw new CodedError('upstream_error', `Alertmanager ${method} ${path} answered ${res.status}: ${text}`);
    }
    return res;
  }
}
