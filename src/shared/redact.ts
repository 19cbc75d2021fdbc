/**
 * Masks secrets in free text (logs, tool output, cards, LLM context). Conservative by design: it is better to
 * hide a harmless value that looks like a credential than to leak a real one.
 */
export const REDACTED = '[REDACTED]';

const RULES: readonly [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM private keys
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  // …however short, after an Authorization key; a placeholder such as `<token>` is left readable
  [/\b(authorization\s*[:=]\s*["']?(?:Bearer|Basic)\s+)(?![<[])[^\s"',;&]+/gi, (_m, head) => `${head}${REDACTED}`],
  // Credentials inside URLs / connection strings: scheme://user:pass@host
  [/\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}):[^\s@/]{1,256}@/gi, (_m, head) => `${head}:${REDACTED}@`],
  // JSON Web Tokens
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, REDACTED],
  // AWS access key ids, GitHub, Slack, OpenAI-style and Feishu tenant tokens
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}\b/g, REDACTED],
  [/\bt-[A-Za-z0-9]{20,}\b/g, REDACTED],
  // cookies and basic credentials on curl-style command lines
  [/\b((?:set-)?cookie:[ \t]*)[^\r\n]+/gi, (_m, head) => `${head}${REDACTED}`],
  [/((?:^|\s)(?:-u|--user)\s+[^\s:]{1,256}:)[^\s]+/g, (_m, head) => `${head}${REDACTED}`],
  // command-line flags: --password hunter2, --token=abc
  [
    /(--?(?:password|passwd|token|secret|api-key|access-key|auth-token)(?:=|\s+))([^\s"'-][^\s"']*)/gi,
    (_m, flag) => `${flag}${REDACTED}`,
  ],
  // key=value / key: value / "key": "value" where the key names a secret
  [
    // The lookbehind anchors the key at the start of its word and the bounded runs keep the scan linear in the
    // text's length (an unanchored, unbounded key made long tokens without separators quadratic). An auth
    // scheme word is not the secret: the rule above masks the credential after it.
    /(["']?)((?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,64}?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth)[A-Za-z0-9_.-]{0,64})\1(\s*[:=]\s*)(["']?)(?!(?:Bearer|Basic)\s)([^\s"',;&]+)\4/gi,
    (_m, q, key, sep, vq) => `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`,
  ],
];

export function redactText(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) {
    out = out.replace(re, replacement as (substring: string, ...args: string[]) => string);
  }
  return out;
}

const SECRET_KEY =
  /password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|authorization/i;

/** Deep copy of a JSON-like value with secret-named keys masked and every string passed through redactText. */
export function redactValue<T>(value: T): T {
  return walk(value, undefined, undefined) as T;
}

/**
 * Like redactValue, and also returns every value it masked whole, so a text rendering of the same data can be
 * scrubbed of them (`scrubText`).
 */
export function redactValueCollecting<T>(value: T): { value: T; masked: string[] } {
  const masked = new Set<string>();
  const out = walk(value, undefined, masked) as T;
  return { value: out, masked: [...masked] };
}

/** Replaces each of the given values (4+ characters) wherever it appears in the text, then applies redactText. */
export function scrubText(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    if (v.length >= 4 && v !== REDACTED) out = out.split(v).join(REDACTED);
  }
  return redactText(out);
}

/** Names of environment variables whose value is a credential or carries one (connection strings, DSNs). */
const SECRET_ENV_NAME = new RegExp(
  `${SECRET_KEY.source}|(^|[_.-])(dsn|database_url|db_url|conn(ection)?_?str(ing)?|pass|key)$`,
  'i',
);

function walk(value: unknown, key: string | undefined, masked: Set<string> | undefined): unknown {
  if (key !== undefined && SECRET_KEY.test(key) && value !== null && typeof value !== 'object') {
    if (typeof value === 'string') masked?.add(value);
    return REDACTED;
  }
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined, masked));
  if (value && typeof value === 'object') {
    let obj = value as Record<string, unknown>;
    // A Kubernetes Secret: its data never leaves, only the key names.
    if (obj.kind === 'Secret') {
      for (const d of [obj.data, obj.stringData]) {
        for (const v of Object.values(d && typeof d === 'object' ? d : {})) {
          if (typeof v !== 'string') continue;
          masked?.add(v);
          if (obj.data === d) masked?.add(Buffer.from(v, 'base64').toString('utf8'));
        }
      }
      obj = stripSecretData(obj);
    }
    // A ConfigMap entry whose key names a credential (DB_PASS, tls.key) is masked whole, like an env value.
    if (obj.kind === 'ConfigMap' && obj.data && typeof obj.data === 'object') {
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj.data as Record<string, unknown>)) {
        const secret = typeof v === 'string' && SECRET_ENV_NAME.test(k);
        if (secret) masked?.add(v as string);
        data[k] = secret ? REDACTED : v;
      }
      obj = { ...obj, data };
    }
    // An environment variable `{ name, value }` whose name says it holds a credential.
    const envLike = typeof obj.name === 'string' && typeof obj.value === 'string' && SECRET_ENV_NAME.test(obj.name);
    const out: Record<string, unknown> = {};
    if (envLike) masked?.add(obj.value as string);
    for (const [k, v] of Object.entries(obj)) out[k] = envLike && k === 'value' ? REDACTED : walk(v, k, masked);
    return out;
  }
  return value;
}

/** A Secret with `data`/`stringData` values replaced by the marker; key names stay visible. */
export function stripSecretData(secret: Record<string, unknown>): Record<string, unknown> {
  const mask = (d: unknown) =>
    d && typeof d === 'object' ? Object.fromEntries(Object.keys(d).map((k) => [k, REDACTED])) : d;
  const { data, stringData, ...rest } = secret;
  const out: Record<string, unknown> = { ...rest };
  if (data !== undefined) out.data = mask(data);
  if (stringData !== undefined) out.stringData = mask(stringData);
  // kubectl.kubernetes.io/last-applied-configuration repeats the data in clear
  const meta = rest.metadata as { annotations?: Record<string, string> } | undefined;
  if (meta?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined) {
    out.metadata = {
      ...meta,
      annotations: { ...meta.annotations, 'kubectl.kubernetes.io/last-applied-configuration': REDACTED },
    };
  }
  return out;
}
