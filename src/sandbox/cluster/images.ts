import { createHash } from 'node:crypto';

/** What a container's process does once started: the simulated application behind an image. */
export interface LogContext {
  pod: string;
  namespace: string;
  container: string;
  image: string;
  /** Wall-clock of the line, ISO-8601. */
  at: (offsetMs?: number) => string;
}

export interface ImageProfile {
  /** Memory the process needs once warmed up (bytes); above the container's limit it is OOM-killed. */
  memoryBytes: number;
  /** Steady CPU use (cores), for usage metrics and the HPA. */
  cpuCores: number;
  /** Ports it listens on; undefined = every containerPort the pod declares. */
  ports?: number[];
  /** The path its health endpoint answers 200 on; other paths answer 404. Undefined = any path. */
  healthPath?: string;
  /** How long after start its readiness endpoint starts to answer 200. */
  readyAfterMs: number;
  /** When set, the health endpoint answers this status instead of 200 (e.g. 503 while a dependency is down). */
  unhealthyStatus?: number;
  startupLogs: (c: LogContext) => string[];
  /** A line it prints every `REQUEST_LOG_EVERY_MS` while it serves (the n-th since start). */
  requestLog?: (c: LogContext, n: number) => string;
  /** The process exits on its own this long after start, printing `logs` first. */
  crash?: { afterMs: number; exitCode: number; logs: (c: LogContext) => string[] };
  /** Lines printed while memory grows, before an OOM kill. */
  oomLogs?: (c: LogContext) => string[];
  /** How long after start the process reaches `memoryBytes`. */
  warmupMs: number;
  pullMs: number;
  sizeBytes: number;
}

const MI = 2 ** 20;
export const REQUEST_LOG_EVERY_MS = 15_000;

/** A Go-style service that logs JSON lines. */
export function goService(name: string, version: string, port = 8080): ImageProfile {
  return {
    memoryBytes: 96 * MI,
    cpuCores: 0.05,
    ports: [port],
    healthPath: '/healthz',
    readyAfterMs: 1500,
    warmupMs: 3000,
    pullMs: 1200,
    sizeBytes: 48_213_504,
    startupLogs: (c) => [
      `{"level":"info","ts":"${c.at()}","msg":"starting ${name}","version":"${version}","go":"go1.23.4"}`,
      `{"level":"info","ts":"${c.at(40)}","msg":"loaded configuration","source":"env"}`,
      `{"level":"info","ts":"${c.at(310)}","msg":"connected to dependencies","pool_size":10}`,
      `{"level":"info","ts":"${c.at(350)}","msg":"http server listening","addr":":${port}"}`,
    ],
    requestLog: (c, n) =>
      `{"level":"info","ts":"${c.at()}","msg":"request served","method":"${n % 3 === 0 ? 'GET' : 'POST'}","path":"/api/v1/${name}","status":200,"duration_ms":${12 + ((n * 37) % 80)}}`,
  };
}

/** The catalogue of images the simulated registry knows, with their runtime behaviour. */
export class ImageCatalog {
  private readonly profiles = new Map<string, ImageProfile>();
  private readonly missing = new Set<string>();

  register(image: string, profile: ImageProfile): void {
    this.profiles.set(image, profile);
    this.missing.delete(image);
  }

  /** Makes `image` unknown to the registry: pulls fail with "not found". */
  markMissing(image: string): void {
    this.missing.add(image);
  }

  /** Tags that plainly do not exist ("…does-not-exist", "…nonexistent") fail too, so a typo by hand behaves. */
  exists(image: string): boolean {
    if (this.missing.has(image)) return false;
    return !/(does-?not-?exist|nonexist|not-?found|no-such)/i.test(tagOf(image));
  }

  profile(image: string): ImageProfile {
    return this.profiles.get(image) ?? genericProfile(image);
  }
}

export function tagOf(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : 'latest';
}

export function repoOf(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

/** The fully-qualified reference containerd reports ("docker.io/library/nginx:1.27"). */
export function qualified(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

export function imageDigest(image: string): string {
  return `sha256:${createHash('sha256').update(repoOf(image)).update(tagOf(image)).digest('hex')}`;
}

/** Whatever image a user runs by hand: starts, listens on its declared ports, stays healthy. */
function genericProfile(image: string): ImageProfile {
  const base = repoOf(image).split('/').pop() ?? 'app';
  return {
    memoryBytes: 24 * MI,
    cpuCores: 0.01,
    readyAfterMs: 500,
    warmupMs: 1000,
    pullMs: 2500,
    sizeBytes: 67_108_864,
    startupLogs: (c) => [`${c.at()} [notice] ${base} ${tagOf(image)} starting up`, `${c.at(120)} [notice] ready`],
  };
}

/**
 * The same application at another version: its startup lines carry the new tag, and with `diesDuringInit`
 * it never gets as far as listening.
 */
export function newRelease(base: ImageProfile, from: string, to: string, diesDuringInit = false): ImageProfile {
  const oldTag = tagOf(from);
  const newTag = tagOf(to);
  return {
    ...base,
    startupLogs: (c) =>
      base
        .startupLogs(c)
        .map((l) => l.split(oldTag).join(newTag))
        .filter((l) => !diesDuringInit || !/listening/i.test(l)),
  };
}
