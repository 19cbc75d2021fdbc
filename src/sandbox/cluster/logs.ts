import { rfc3339Nano } from './time.js';

interface LogLine {
  at: number;
  line: string;
}

interface ContainerLogs {
  current: LogLine[];
  previous: LogLine[] | undefined;
}

export interface LogOptions {
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
}

/** Per-container log buffers, with the previous instance kept across one restart as the kubelet does. */
export class LogBook {
  private readonly byContainer = new Map<string, ContainerLogs>();

  constructor(
    private readonly now: () => number,
    private readonly maxLines = 5000,
  ) {}

  private key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  append(namespace: string, pod: string, container: string, line: string): void {
    const key = this.key(namespace, pod, container);
    let logs = this.byContainer.get(key);
    if (!logs) {
      logs = { current: [], previous: undefined };
      this.byContainer.set(key, logs);
    }
    const at = this.now();
    for (const l of line.replace(/\n$/, '').split('\n')) logs.current.push({ at, line: l });
    if (logs.current.length > this.maxLines) logs.current.splice(0, logs.current.length - this.maxLines);
  }

  rotate(namespace: string, pod: string, container: string): void {
    const key = this.key(namespace, pod, container);
    const logs = this.byContainer.get(key);
    this.byContainer.set(key, { current: [], previous: logs ? logs.current : [] });
  }

  /** The text `kubectl logs` prints; undefined when the container has no such instance's logs. */
  read(namespace: string, pod: string, container: string, opts: LogOptions = {}): string | undefined {
    const logs = this.byContainer.get(this.key(namespace, pod, container));
    const lines = opts.previous ? logs?.previous : logs?.current;
    if (!lines) return undefined;
    let out = lines;
    if (opts.sinceSeconds !== undefined) {
      const since = this.now() - opts.sinceSeconds * 1000;
      out = out.filter((l) => l.at >= since);
    }
    if (opts.tailLines !== undefined) out = opts.tailLines <= 0 ? [] : out.slice(-opts.tailLines);
    return out.map((l) => `${opts.timestamps ? `${rfc3339Nano(l.at)} ` : ''}${l.line}\n`).join('');
  }

  dropPod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const key of [...this.byContainer.keys()]) if (key.startsWith(prefix)) this.byContainer.delete(key);
  }
}
