/**
 * The product's configuration: environment keys (architecture.md § Configuration) plus the YAML file named by
 * SRE_NANOBOT_CONFIG for the richer parts. One zod schema is the source of truth; `loadConfig` returns either a
 * typed config or every problem at once, each naming its key. Nothing else in the product reads process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { validateDetailed as validateCron } from 'node-cron';
import { z } from 'zod';
import { RoleSchema } from './access/roles.js';
import { PrioritySchema } from './alerts/model.js';
import { OncallConfigSchema, rotationReferenceProblems } from './oncall/schema.js';
import { SafetyClassSchema } from './ports/tools.js';
import { parseDuration } from './shared/duration.js';
import { maskUrlSecrets } from './shared/mask-url.js';

/** The YAML file read when SRE_NANOBOT_CONFIG is not set (and only if it exists). */
export const DEFAULT_CONFIG_FILE = './sre-nanobot.yaml';

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

/** An absolute http(s) URL with a host, as `fetch` will be handed it (a port out of range fails here, not later). */
function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\/[^\s/]+/i.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const url = z
  .string()
  .trim()
  .refine(isHttpUrl, 'must be an http(s) URL such as http://127.0.0.1:9090')
  .transform((s) => s.replace(/\/+$/, ''));

const EnvSchema = z.object({
  FEISHU_APP_ID: optionalString,
  FEISHU_APP_SECRET: optionalString,
  FEISHU_ENCRYPT_KEY: optionalString,
  FEISHU_VERIFICATION_TOKEN: optionalString,
  FEISHU_DOMAIN: url.default('https://open.feishu.cn'),
  FEISHU_EVENT_MODE: z.enum(['webhook', 'websocket']).default('webhook'),
  FEISHU_DEFAULT_CHAT_ID: optionalString,
  BOT_LOCALE: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0–65535')
    .max(65535, 'must be 0–65535')
    .default(3000),
  DATABASE_PATH: z.string().trim().min(1).default('./data/sre-nanobot.db'),
  ALERTMANAGER_WEBHOOK_TOKEN: optionalString,
  ALERTMANAGER_URL: url.optional(),
  PROMETHEUS_URL: url.optional(),
  KUBECONFIG: optionalString,
  OPENAI_BASE_URL: url.optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString,
  SRE_NANOBOT_CONFIG: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TZ: z.string().trim().default('Asia/Shanghai').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  CONSOLE_ADMIN_TOKEN: optionalString.refine(
    (s) => s === undefined || s.length >= 24,
    'must be at least 24 characters (e.g. openssl rand -hex 24)',
  ),
  CONSOLE_SESSION_SECRET: optionalString.refine(
    (s) => s === undefined || s.length >= 32,
    'must be at least 32 characters (e.g. openssl rand -hex 32)',
  ),
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 30s, 5m, 1h')
  .transform((s) => parseDuration(s) as number);

/** Alertmanager-style matcher: `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"` (quotes optional). */
export const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** Why `^(?:pattern)$` (the anchoring the product uses) does not compile; undefined when it does. */
function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`);
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

const matcher = z.string().superRefine((s, ctx) => {
  const m = MATCHER.exec(s);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'must be a matcher such as severity="critical"' });
    return;
  }
  if (m[2] !== '=~' && m[2] !== '!~') return;
  // The value as src/alerts/matchers.ts compiles it: quoted values unescaped, then anchored.
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  const problem = regexProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${problem}` });
});

const regex = z.string().superRefine((s, ctx) => {
  const problem = regexProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${problem}` });
});

/** A cron schedule as the report scheduler (node-cron) reads it: 5 fields, or 6 with seconds first. */
const cron = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const result = validateCron(s);
    if (result.valid) return;
    const why = result.errors.map((e) => e.message).join('; ');
    ctx.addIssue({ code: 'custom', message: `must be a cron schedule such as "0 9 * * *" (${why})` });
  });

/** A person is a Feishu open_id (`ou_…`) or an email resolved at start-up. */
const personRef = z
  .string()
  .trim()
  .refine((s) => /^ou_[A-Za-z0-9_-]+$/.test(s) || /^[^@\s]+@[^@\s]+$/.test(s), 'must be an open_id (ou_…) or an email');

const RouteSchema = z.strictObject({
  name: z.string().min(1).optional(),
  match: z.array(matcher).default([]),
  priority: PrioritySchema.optional(),
  chat_id: z.string().min(1).optional(),
  oncall: z.array(personRef).default([]),
  secondary_oncall: z.array(personRef).default([]),
  /** A rotation (oncall.rotations) whose current person is on call here, besides `oncall`. */
  rotation: z.string().min(1).optional(),
  secondary_rotation: z.string().min(1).optional(),
  group_by: z.array(z.string().min(1)).optional(),
  continue: z.boolean().default(false),
});

const EscalationStepSchema = z.strictObject({
  after: duration,
  notify: z.enum(['urgent_app', 'urgent_phone', 'urgent_phone_secondary', 'group']),
});

const McpServerSchema = z.union([
  z.strictObject({
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
  }),
  z.strictObject({ url: url, headers: z.record(z.string(), z.string()).default({}) }),
]);

const ClusterSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-style name'),
  context: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  in_cluster: z.boolean().default(false),
  /**
   * In-cluster only: a directory prepended to the service account mount (the client's `pathPrefix`), so token,
   * ca.crt and namespace are read from <dir>/var/run/secrets/kubernetes.io/serviceaccount/ — for a mount
   * elsewhere than where Kubernetes puts it (a sidecar's projected token, a test).
   */
  service_account_root: z.string().min(1).optional(),
});

/** One risk level's approval rule; `auto_namespaces` is accepted for low risk only. */
function riskApprovals(approvers: number, autoAllowed: boolean) {
  return z
    .strictObject({
      approvers: z.number().int().min(1).max(5).default(approvers),
      allow_self: z.boolean().default(false),
      auto_namespaces: z.array(z.string().min(1)).default([]),
    })
    .refine((r) => autoAllowed || r.auto_namespaces.length === 0, {
      message: 'auto_namespaces is only for low risk (approvals.low.auto_namespaces)',
      path: ['auto_namespaces'],
    })
    .default({ approvers, allow_self: false, auto_namespaces: [] });
}

export const FileConfigSchema = z.strictObject({
  routes: z.array(RouteSchema).default([]),
  /** Namespaces (regexes, anchored) whose critical alerts are P0 by default. */
  production_namespaces: z.array(regex).default(['prod', 'production', 'prod-.*', '.*-prod']),
  correlation_window: duration.default(parseDuration('10m') as number),
  people: z
    .array(
      z.strictObject({
        id: personRef,
        name: z.string().optional(),
        roles: z.array(RoleSchema).default(['viewer']),
      }),
    )
    .default([]),
  namespaces: z
    .strictObject({
      protected: z.array(z.string().min(1)).default(['kube-system']),
      allow: z.array(z.string().min(1)).optional(),
    })
    .default({ protected: ['kube-system'] }),
  /**
   * Approvals of runbook runs: how long a pending one waits, and per risk how many distinct approvers it needs,
   * whether the requester may approve their own request, and (low risk only) the namespaces where a runbook
   * matched to an incident runs without a click.
   */
  approvals: z
    .strictObject({
      expire_after: duration.default(30 * 60_000),
      low: riskApprovals(1, true),
      medium: riskApprovals(1, false),
      high: riskApprovals(2, false),
    })
    .default({
      expire_after: 30 * 60_000,
      low: { approvers: 1, allow_self: false, auto_namespaces: [] },
      medium: { approvers: 1, allow_self: false, auto_namespaces: [] },
      high: { approvers: 2, allow_self: false, auto_namespaces: [] },
    }),
  /** On-call rotations and dated overrides (src/oncall/schema.ts). */
  oncall: OncallConfigSchema.default({ rotations: [], overrides: [] }),
  /** Slash commands: in groups, `without_mention: true` lets a message that starts with `/` run without an @mention. */
  commands: z.strictObject({ without_mention: z.boolean().default(false) }).default({ without_mention: false }),
  /** Always-firing alerts (dead man's switches) tracked as heartbeats, never as incidents. */
  heartbeats: z.array(z.string().min(1)).default(['Watchdog', 'InfoInhibitor']),
  /** A Watchdog silent this long (after having been seen) is a P1 "alerting pipeline is down". */
  watchdog_timeout: duration.default(parseDuration('10m') as number),
  /** Storm control: at most `max_cards` new incident cards per chat within `window`; beyond, one storm card. */
  storm: z
    .strictObject({
      max_cards: z.number().int().min(1).default(10),
      window: duration.default(parseDuration('1m') as number),
      /** A storm ends after this long without a new incident in its chat. */
      quiet: duration.default(parseDuration('5m') as number),
    })
    .default({ max_cards: 10, window: 60_000, quiet: 300_000 }),
  /**
   * Repeats and joins patch a card at most once per this delay (coalesced; 0 patches in the webhook's own
   * transaction). New cards, escalations, resolutions and clicks are never delayed.
   */
  card_refresh_delay: z.union([z.literal(0), duration]).default(1_000),
  /** How often active Alertmanager silences are checked for expiry or removal. */
  silence_poll_interval: duration.default(parseDuration('1m') as number),
  escalation: z.strictObject({ steps: z.array(EscalationStepSchema).default([]) }).default({
    steps: [
      { after: 5 * 60_000, notify: 'urgent_app' },
      { after: 15 * 60_000, notify: 'urgent_phone_secondary' },
      { after: 30 * 60_000, notify: 'group' },
    ],
  }),
  reports: z
    .strictObject({
      daily: cron.default('0 9 * * *'),
      weekly: cron.default('0 10 * * 1'),
      chat_id: z.string().optional(),
      /** A verified fix counts as having worked only if its alert stays away from the workload this long. */
      recurrence_window: duration.default(86_400_000),
    })
    .default({ daily: '0 9 * * *', weekly: '0 10 * * 1', recurrence_window: 86_400_000 }),
  /** Priorities whose new incidents are diagnosed as soon as they open (findings posted in the card's thread). */
  diagnosis: z.strictObject({ auto: z.array(PrioritySchema).default(['P0', 'P1']) }).default({ auto: ['P0', 'P1'] }),
  clusters: z.array(ClusterSchema).default([]),
  cluster_label: z.string().default('cluster'),
  mcpServers: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), McpServerSchema).default({}),
  /** Safety class of external tools, `server.tool` → class; unclassified external tools are denied. */
  tool_classes: z.record(z.string(), SafetyClassSchema).default({}),
  /** The LLM agent: priorities investigated automatically when an incident opens, and the agent's budgets. */
  agent: z
    .strictObject({
      auto: z.array(PrioritySchema).default(['P0', 'P1']),
      max_steps: z.number().int().min(1).max(100).default(10),
      max_tool_calls: z.number().int().min(0).max(500).default(24),
      max_tokens: z.number().int().min(1000).default(120_000),
      deadline: duration.default(180_000),
      /** Characters of one tool output handed to the model; longer outputs are cut with a note. */
      max_tool_output: z.number().int().min(200).default(8_000),
      /** Tokens of a conversation's memory handed back to the model. */
      memory_tokens: z.number().int().min(200).default(6_000),
    })
    .default({
      auto: ['P0', 'P1'],
      max_steps: 10,
      max_tool_calls: 24,
      max_tokens: 120_000,
      deadline: 180_000,
      max_tool_output: 8_000,
      memory_tokens: 6_000,
    }),
  /** How long delivered bookkeeping is kept: sent outbox rows and handled event ids (incidents are kept). */
  retention: z
    .strictObject({
      outbox: duration.default(7 * 86_400_000),
      events: duration.default(3 * 86_400_000),
      webhooks: duration.default(14 * 86_400_000),
    })
    .default({ outbox: 7 * 86_400_000, events: 3 * 86_400_000, webhooks: 14 * 86_400_000 }),
});

export type FileConfig = z.infer<typeof FileConfigSchema>;
export type Route = z.infer<typeof RouteSchema>;

export interface Config {
  /** `tenant` when Feishu credentials are set; otherwise the product runs its local sandbox. */
  mode: 'tenant' | 'sandbox';
  feishu: {
    appId: string | undefined;
    appSecret: string | undefined;
    encryptKey: string | undefined;
    verificationToken: string | undefined;
    domain: string;
    eventMode: 'webhook' | 'websocket';
    defaultChatId: string | undefined;
  };
  locale: 'zh-CN' | 'en-US';
  http: { host: string; port: number };
  database: { path: string };
  alertmanager: {
    /** `none` disables the check explicitly; undefined is refused in tenant mode. */
    webhookToken: string | undefined;
    url: string | undefined;
  };
  prometheus: { url: string | undefined };
  kube: { kubeconfig: string | undefined };
  llm: { baseUrl: string | undefined; apiKey: string | undefined; model: string } | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  timezone: string;
  /**
   * The web console: a bearer token for headless use, and the key that signs session cookies (default: derived
   * from FEISHU_APP_SECRET, so sessions outlive a restart).
   */
  console: { adminToken: string | undefined; sessionSecret: string | undefined };
  configFile: string | undefined;
  file: FileConfig;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export interface LoadOptions {
  /** Reads a file; injectable for tests. */
  readFile?: (path: string) => string | undefined;
}

/** Parse the environment and the YAML file; collect every problem rather than stopping at the first. */
export function loadConfig(env: Record<string, string | undefined>, options: LoadOptions = {}): ConfigResult {
  const readFile = options.readFile ?? ((p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined));
  const problems: string[] = [];

  const envResult = EnvSchema.safeParse(env);
  if (!envResult.success) {
    for (const issue of envResult.error.issues) {
      const key = String(issue.path[0] ?? '(environment)');
      problems.push(`${key}: ${issue.message}${showValue(key, env[key])}`);
    }
  }

  const fileName = env.SRE_NANOBOT_CONFIG?.trim() || undefined;
  const filePath = fileName ?? DEFAULT_CONFIG_FILE;
  let file: FileConfig | undefined;
  const text = readFile(filePath);
  if (text === undefined && fileName) {
    problems.push(`SRE_NANOBOT_CONFIG: file not found: ${fileName}`);
  }
  let raw: unknown = {};
  // A file of only comments (or nothing) is an empty configuration, not a YAML error.
  if (text?.split('\n').some((line) => !/^\s*(#.*)?$/.test(line))) {
    try {
      raw = yaml.load(text) ?? {};
    } catch (err) {
      problems.push(`SRE_NANOBOT_CONFIG (${filePath}): not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      raw = undefined;
    }
  }
  if (raw !== undefined) {
    const fileResult = FileConfigSchema.safeParse(raw);
    if (fileResult.success) file = fileResult.data;
    else {
      for (const issue of fileResult.error.issues) {
        problems.push(`${filePath}: ${formatPath(issue.path)}: ${issue.message}${showFileValue(raw, issue.path)}`);
      }
    }
  }

  if (!envResult.success) return { ok: false, problems };
  const e = envResult.data;

  // Checks across keys run whatever the file holds, so one run lists everything to fix.
  if (Boolean(e.FEISHU_APP_ID) !== Boolean(e.FEISHU_APP_SECRET)) {
    problems.push(
      e.FEISHU_APP_ID
        ? 'FEISHU_APP_SECRET: required when FEISHU_APP_ID is set'
        : 'FEISHU_APP_ID: required when FEISHU_APP_SECRET is set',
    );
  }
  const mode = e.FEISHU_APP_ID && e.FEISHU_APP_SECRET ? 'tenant' : 'sandbox';
  if (mode === 'tenant' && e.ALERTMANAGER_WEBHOOK_TOKEN === undefined) {
    problems.push(
      'ALERTMANAGER_WEBHOOK_TOKEN: required; set the bearer token Alertmanager sends, or "none" to accept unauthenticated webhooks',
    );
  }
  if (e.FEISHU_EVENT_MODE === 'websocket' && e.FEISHU_APP_ID && !/^cli_[0-9a-fA-F]{16}$/.test(e.FEISHU_APP_ID)) {
    problems.push('FEISHU_APP_ID: long-connection mode needs an app id of the form cli_ followed by 16 hex digits');
  }
  if ((e.OPENAI_BASE_URL || e.OPENAI_API_KEY) && !e.OPENAI_MODEL) {
    problems.push('OPENAI_MODEL: required when OPENAI_BASE_URL or OPENAI_API_KEY is set');
  }
  if (file) problems.push(...rotationReferenceProblems(file.oncall, file.routes));
  if (file === undefined || problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    config: {
      mode,
      feishu: {
        appId: e.FEISHU_APP_ID,
        appSecret: e.FEISHU_APP_SECRET,
        encryptKey: e.FEISHU_ENCRYPT_KEY,
        verificationToken: e.FEISHU_VERIFICATION_TOKEN,
        domain: e.FEISHU_DOMAIN,
        eventMode: e.FEISHU_EVENT_MODE,
        defaultChatId: e.FEISHU_DEFAULT_CHAT_ID,
      },
      locale: e.BOT_LOCALE,
      http: { host: e.HOST, port: e.PORT },
      database: { path: e.DATABASE_PATH },
      alertmanager: { webhookToken: e.ALERTMANAGER_WEBHOOK_TOKEN, url: e.ALERTMANAGER_URL },
      prometheus: { url: e.PROMETHEUS_URL },
      kube: { kubeconfig: e.KUBECONFIG },
      llm:
        e.OPENAI_MODEL && (e.OPENAI_BASE_URL || e.OPENAI_API_KEY)
          ? { baseUrl: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, model: e.OPENAI_MODEL }
          : undefined,
      logLevel: e.LOG_LEVEL,
      timezone: e.TZ,
      console: { adminToken: e.CONSOLE_ADMIN_TOKEN, sessionSecret: e.CONSOLE_SESSION_SECRET },
      configFile: text === undefined ? undefined : filePath,
      file,
    },
  };
}

const SECRET_KEYS = /SECRET|TOKEN|KEY|PASSWORD/;
/** File paths whose values are never echoed: headers and environments of MCP servers carry credentials. */
const SECRET_PATH = /secret|token|key|password|authorization|^headers$|^env$/i;

/** ` (got "…")` for a problem's value: secret-named keys never, credentials inside URLs masked. */
function showValue(key: string, value: string | undefined): string {
  if (value === undefined || SECRET_KEYS.test(key)) return '';
  return gotText(value);
}

function gotText(value: string): string {
  const masked = maskUrlSecrets(value);
  return ` (got ${JSON.stringify(masked.length > 60 ? `${masked.slice(0, 60)}…` : masked)})`;
}

function showFileValue(raw: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = raw;
  for (const key of path) {
    if (typeof key === 'string' && SECRET_PATH.test(key)) return '';
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? gotText(String(value)) : '';
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** The product-level configuration error: every problem, one per line. */
export function formatProblems(problems: string[]): string {
  return [`Configuration has ${problems.length} problem(s):`, ...problems.map((p) => `  - ${p}`)].join('\n');
}
