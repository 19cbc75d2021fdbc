/**
 * The runbook template syntax, small and strict: a string may reference a parameter as `{{ params.<name> }}`
 * and nothing else (no filters, no expressions, no other roots). A string that is exactly one reference takes
 * the parameter's typed value (a number stays a number); a reference inside a longer string is interpolated as
 * text. An optional parameter left unset (`null` in the resolved values) removes the key (or array item) whose
 * whole value references it, and is an error inside text. A name the values do not declare throws.
 */
import { CodedError } from '../shared/errors.js';

/** A resolved parameter value; `null` is an optional parameter left unset. */
export type ParamValue = string | number | boolean | null;
/** Every declared parameter of a runbook, resolved (see params.ts). */
export type ParamValues = Readonly<Record<string, ParamValue>>;

export const PARAM_NAME = /^[a-z][a-z0-9_]*$/;
const TOKEN = /\{\{(.*?)\}\}/g;
const REF = /^\s*params\.([a-z][a-z0-9_]*)\s*$/;

/** What a string references, whether it is one whole reference, and what is wrong with its syntax. */
export interface TemplateScan {
  refs: string[];
  /** The parameter name when the string is exactly one reference. */
  whole: string | undefined;
  problems: string[];
}

export function scanTemplate(text: string): TemplateScan {
  const refs: string[] = [];
  const problems: string[] = [];
  const rest = text.replace(TOKEN, (token, inner: string) => {
    const m = REF.exec(inner);
    if (m) refs.push(m[1] as string);
    else problems.push(`unsupported placeholder ${token}: only {{ params.<name> }} is allowed`);
    return '';
  });
  if (rest.includes('{{') || rest.includes('}}')) problems.push(`unbalanced braces in "${text}"`);
  const whole =
    refs.length === 1 && problems.length === 0 && text.trim().replace(TOKEN, '') === '' ? refs[0] : undefined;
  return { refs, whole, problems };
}

const OMIT = Symbol('omit');

/**
 * Fills every string in `value` (deeply, through arrays and objects) from `params`. Throws a `bad_request`
 * CodedError on a syntax problem, a name `params` does not declare, or an unset optional parameter in text.
 */
export function renderTemplate(value: unknown, params: ParamValues): unknown {
  const out = fill(value, params);
  return out === OMIT ? undefined : out;
}

function lookup(name: string, params: ParamValues): ParamValue {
  if (!Object.hasOwn(params, name)) {
    const known = Object.keys(params);
    throw new CodedError(
      'bad_request',
      `unknown parameter {{ params.${name} }}; declared: ${known.length ? known.join(', ') : '(none)'}`,
    );
  }
  return params[name] as ParamValue;
}

function fill(node: unknown, params: ParamValues): unknown {
  if (typeof node === 'string') {
    const scan = scanTemplate(node);
    if (scan.problems.length > 0) throw new CodedError('bad_request', scan.problems.join('; '));
    if (scan.whole !== undefined) {
      const v = lookup(scan.whole, params);
      return v === null ? OMIT : v;
    }
    return node.replace(TOKEN, (_t, inner: string) => {
      const name = (REF.exec(inner) as RegExpExecArray)[1] as string;
      const v = lookup(name, params);
      if (v === null) {
        throw new CodedError('bad_request', `parameter ${name} has no value and is used inside text: "${node}"`);
      }
      return String(v);
    });
  }
  if (Array.isArray(node)) return node.map((x) => fill(x, params)).filter((x) => x !== OMIT);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const filled = fill(v, params);
      if (filled !== OMIT) out[k] = filled;
    }
    return out;
  }
  return node;
}
