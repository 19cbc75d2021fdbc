/**
 * Runbook parameters: checking one value against its declaration, and resolving what a person or a finding
 * gave (`/run deployment-scale deployment=cart replicas=3` gives strings) into every declared parameter —
 * coerced to its type, validated, defaults applied, optional ones left `null`. Every problem comes back at once,
 * in words a person can act on; nothing here throws.
 */
import { label, name, quantity } from '../mcp/k8s/validate.js';
import type { Param } from './schema.js';
import type { ParamValue, ParamValues } from './template.js';

const FORMATS = { name, label, quantity } as const;

/** Why `value` (already of the right JS type) does not satisfy `param`; undefined when it does. */
export function paramValueProblem(param: Param, value: unknown): string | undefined {
  switch (param.type) {
    case 'string': {
      if (typeof value !== 'string') return 'must be a string';
      if (value.length === 0) return 'must not be empty';
      if (value.length > param.max_length) return `must be at most ${param.max_length} characters`;
      if (param.format) {
        const r = FORMATS[param.format].safeParse(value);
        if (!r.success) return r.error.issues[0]?.message ?? `must be a ${param.format}`;
      }
      if (param.pattern !== undefined && !anchored(param.pattern)?.test(value)) {
        return `must match ${param.pattern}`;
      }
      if (param.enum && !param.enum.includes(value)) return `must be one of ${param.enum.join(', ')}`;
      return undefined;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (param.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
      if (param.minimum !== undefined && value < param.minimum) return `must be at least ${param.minimum}`;
      if (param.maximum !== undefined && value > param.maximum) return `must be at most ${param.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    default: {
      const never: never = param;
      return never;
    }
  }
}

/** The pattern anchored as a whole-value match; undefined when it does not compile. */
export function anchored(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/** Strings from chat or a button become the declared type; other values pass through to be checked. */
function coerce(param: Param, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const s = raw.trim();
  switch (param.type) {
    case 'string':
      return s;
    case 'integer':
      return /^[-+]?\d+$/.test(s) ? Number(s) : raw;
    case 'number':
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : raw;
    case 'boolean':
      return s === 'true' ? true : s === 'false' ? false : raw;
    default: {
      const never: never = param;
      return never;
    }
  }
}

export type ResolvedParams = { ok: true; values: ParamValues } | { ok: false; problems: string[] };

/** Resolves given values against a runbook's declared parameters. */
export function resolveParams(
  runbook: { id: string; params: Readonly<Record<string, Param>> },
  given: Readonly<Record<string, unknown>>,
): ResolvedParams {
  const declared = Object.keys(runbook.params);
  const problems: string[] = [];
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(runbook.params, key)) {
      problems.push(
        `unknown parameter ${key}; ${runbook.id} takes ${declared.length ? declared.join(', ') : 'no parameters'}`,
      );
    }
  }
  const values: Record<string, ParamValue> = {};
  for (const [key, param] of Object.entries(runbook.params)) {
    const raw = Object.hasOwn(given, key) ? given[key] : undefined;
    if (raw === undefined || raw === null || raw === '') {
      if (param.default !== undefined) values[key] = param.default;
      else if (param.optional) values[key] = null;
      else {
        const e = param.example === undefined ? '' : ` (e.g. ${key}=${String(param.example)})`;
        problems.push(`missing parameter ${key}${e}`);
      }
      continue;
    }
    const value = coerce(param, raw);
    const problem = paramValueProblem(param, value);
    if (problem) problems.push(`parameter ${key}=${String(raw)}: ${problem}`);
    else values[key] = value as ParamValue;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/**
 * Values for checking a runbook without a person: defaults, then examples; optional parameters without either
 * are left unset (`withOptional` fills those that have an example too).
 */
export function sampleParams(params: Readonly<Record<string, Param>>, withOptional = false): ParamValues {
  const out: Record<string, ParamValue> = {};
  for (const [key, p] of Object.entries(params)) {
    const v = p.default ?? (p.optional && !withOptional ? undefined : p.example);
    out[key] = v === undefined ? null : v;
  }
  return out;
}
