/**
 * The rules of a runbook that one field's schema cannot see, run as RunbookSchema's refinement: parameters
 * (defaults and examples valid, a required one has an example), unique step ids, `on_failure: rollback` only
 * with rollback steps, kinds and namespaces that fit, conditions that fit their kind, label matchers that
 * parse, and templates that reference declared parameters only — an optional one only as a whole value, and
 * a string one inside PromQL only when its format, pattern or enum keeps quotes and braces out. The engine
 * sets `dryRun` and `cluster` on tool calls itself, so a runbook may not.
 */
import type { z } from 'zod';
import { parseMatcher } from '../alerts/matchers.js';
import { anchored, paramValueProblem } from './params.js';
import { CLUSTER_SCOPED, CONDITION_KINDS } from './resources.js';
import type { Param, RunbookBody, RunbookResourceRef, Step } from './schema.js';
import { PARAM_NAME, scanTemplate } from './template.js';

type Path = (string | number)[];
type Where = 'text' | 'query' | 'value';
interface TemplateSite {
  path: Path;
  text: string;
  where: Where;
}

const ENGINE_ARGS = ['dryRun', 'cluster'];

export function checkRunbook(rb: RunbookBody, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });

  for (const [key, p] of Object.entries(rb.params)) {
    if (!PARAM_NAME.test(key)) issue(['params', key], 'must be a parameter name such as deployment (a-z, 0-9, _)');
    checkParam(p, ['params', key], issue);
  }

  const seen = new Map<string, string>();
  for (const [section, list] of sections(rb)) {
    list.forEach((step, i) => {
      const at = [...sectionPath(section), i, 'id'];
      const before = seen.get(step.id);
      if (before) issue(at, `step id ${step.id} is used twice (also in ${before})`);
      else seen.set(step.id, section);
      if (step.type === 'tool') {
        for (const k of ENGINE_ARGS) {
          if (Object.hasOwn(step.args, k)) issue([...sectionPath(section), i, 'args', k], `${k} is set by the engine`);
        }
      }
      if (step.type === 'check_resource') {
        checkRef(step.ref, [...sectionPath(section), i, 'ref'], issue);
        const fits: readonly string[] = CONDITION_KINDS[step.condition];
        if (!fits.includes(step.ref.kind)) {
          issue(
            [...sectionPath(section), i, 'condition'],
            `${step.condition} applies to ${fits.join(', ')}, not ${step.ref.kind}`,
          );
        }
      }
    });
  }
  checkRef(rb.target, ['target'], issue);

  if (rb.on_failure === 'rollback' && rb.rollback.length === 0) {
    issue(['on_failure'], 'on_failure is rollback but there are no rollback steps');
  }
  rb.match.labels.forEach((m, i) => {
    try {
      parseMatcher(m);
    } catch {
      issue(['match', 'labels', i], `not a label matcher: ${m} (write it like namespace="shop" or pod=~"cart-.*")`);
    }
  });

  for (const site of templateSites(rb)) checkTemplate(site, rb.params, issue);
}

function checkParam(p: Param, at: Path, issue: (path: Path, message: string) => void): void {
  if (p.optional && p.default !== undefined) issue(at, 'an optional parameter cannot have a default');
  if (!p.optional && p.default === undefined && p.example === undefined) {
    issue(at, 'a required parameter needs an example (used by validate and the docs)');
  }
  for (const k of ['default', 'example'] as const) {
    const v = p[k];
    const problem = v === undefined ? undefined : paramValueProblem(p, v);
    if (problem) issue([...at, k], problem);
  }
  if (p.type === 'string' && p.pattern !== undefined && !anchored(p.pattern)) {
    issue([...at, 'pattern'], 'not a valid regular expression');
  }
  if ((p.type === 'integer' || p.type === 'number') && p.minimum !== undefined && p.maximum !== undefined) {
    if (p.minimum > p.maximum) issue([...at, 'minimum'], 'minimum is above maximum');
  }
}

function checkRef(ref: RunbookResourceRef, at: Path, issue: (path: Path, message: string) => void): void {
  const clusterScoped = CLUSTER_SCOPED.includes(ref.kind);
  if (clusterScoped && ref.namespace !== undefined) issue([...at, 'namespace'], `a ${ref.kind} has no namespace`);
  if (!clusterScoped && ref.namespace === undefined) issue([...at, 'namespace'], `a ${ref.kind} needs a namespace`);
}

function checkTemplate(
  site: TemplateSite,
  params: Readonly<Record<string, Param>>,
  issue: (path: Path, message: string) => void,
): void {
  const scan = scanTemplate(site.text);
  for (const p of scan.problems) issue(site.path, p);
  for (const name of scan.refs) {
    const p = params[name];
    if (!p) {
      const known = Object.keys(params);
      issue(
        site.path,
        `unknown parameter {{ params.${name} }}; declared: ${known.length ? known.join(', ') : '(none)'}`,
      );
      continue;
    }
    if (p.optional && scan.whole !== name) {
      issue(site.path, `optional parameter ${name} may only be used as a whole value, not inside text`);
    }
    if (site.where === 'query' && p.type === 'string' && !p.format && !p.pattern && !p.enum) {
      issue(site.path, `string parameter ${name} is used in PromQL: give it a format, pattern or enum`);
    }
    if (site.where === 'value' && (scan.whole !== name || (p.type !== 'integer' && p.type !== 'number'))) {
      issue(site.path, 'expect.value must be a number or exactly one {{ params.<name> }} of a number parameter');
    }
  }
  if (site.where === 'value' && scan.refs.length === 0) {
    issue(site.path, 'expect.value must be a number or exactly one {{ params.<name> }} of a number parameter');
  }
}

type Section = 'preconditions' | 'steps' | 'verification' | 'rollback';

function sectionPath(section: Section): Path {
  return section === 'verification' ? ['verification', 'checks'] : [section];
}

function sections(rb: RunbookBody): [Section, readonly Step[]][] {
  return [
    ['preconditions', rb.preconditions],
    ['steps', rb.steps],
    ['verification', rb.verification.checks],
    ['rollback', rb.rollback],
  ];
}

/** Every string of the runbook that may hold a template, with where it sits. */
export function templateSites(rb: RunbookBody): TemplateSite[] {
  const out: TemplateSite[] = [];
  const ref = (r: RunbookResourceRef, at: Path) => {
    out.push({ path: [...at, 'name'], text: r.name, where: 'text' });
    if (r.namespace !== undefined) out.push({ path: [...at, 'namespace'], text: r.namespace, where: 'text' });
  };
  const deep = (v: unknown, at: Path) => {
    if (typeof v === 'string') out.push({ path: at, text: v, where: 'text' });
    else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) deep(x, [...at, i]);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) deep(x, [...at, k]);
  };
  ref(rb.target, ['target']);
  for (const [section, list] of sections(rb)) {
    list.forEach((step, i) => {
      const at = [...sectionPath(section), i];
      switch (step.type) {
        case 'tool':
          deep(step.args, [...at, 'args']);
          break;
        case 'check_resource':
          ref(step.ref, [...at, 'ref']);
          break;
        case 'check_promql':
          out.push({ path: [...at, 'query'], text: step.query, where: 'query' });
          if (typeof step.expect.value === 'string') {
            out.push({ path: [...at, 'expect', 'value'], text: step.expect.value, where: 'value' });
          }
          break;
        case 'notify':
          out.push({ path: [...at, 'message', 'zh-CN'], text: step.message['zh-CN'], where: 'text' });
          out.push({ path: [...at, 'message', 'en-US'], text: step.message['en-US'], where: 'text' });
          break;
        case 'wait':
          break;
        default: {
          const never: never = step;
          throw new Error(`unhandled step ${JSON.stringify(never)}`);
        }
      }
    });
  }
  return out;
}
