/**
 * The route table: grading and routing of alert labels → priority P0–P3, chat, on-call and group-by, from the YAML `routes` (first
 * match wins; a route with `continue: true` contributes what it sets and lets later routes fill the rest),
 * falling back to the defaults of the priority table:
 *   P0  priority="P0", or severity="critical" in a production scope
 *   P1  priority="P1", or severity="critical" elsewhere
 *   P2  severity="warning" (and any severity we do not know: better seen than hidden)
 *   P3  severity="info" or "none"
 */
import type { FileConfig } from '../config.js';
import { type Matcher, matchesAll, parseMatcher } from './matchers.js';
import { PRIORITIES, type Priority } from './model.js';

export const DEFAULT_GROUP_BY = ['alertname', 'namespace', 'workload'] as const;

export interface RouteDecision {
  priority: Priority;
  /** Undefined → the default chat (or recorded only when there is none). */
  chatId: string | undefined;
  oncall: string[];
  secondaryOncall: string[];
  /** Rotations (oncall.rotations) whose current person is on call besides `oncall` / `secondaryOncall`. */
  rotation?: string | undefined;
  secondaryRotation?: string | undefined;
  groupBy: readonly string[];
  /** Names (or indexes) of the routes that matched, for the timeline. */
  routes: string[];
}

interface CompiledRoute {
  name: string;
  matchers: Matcher[];
  priority: Priority | undefined;
  chatId: string | undefined;
  oncall: string[];
  secondaryOncall: string[];
  rotation: string | undefined;
  secondaryRotation: string | undefined;
  groupBy: string[] | undefined;
  continue: boolean;
}

export class RouteTable {
  private readonly routes: CompiledRoute[];
  private readonly production: RegExp;

  constructor(
    file: Pick<FileConfig, 'routes' | 'production_namespaces'>,
    private readonly defaultChatId: string | undefined,
  ) {
    this.routes = file.routes.map((r, i) => ({
      name: r.name ?? `routes[${i}]`,
      matchers: r.match.map(parseMatcher),
      priority: r.priority,
      chatId: r.chat_id,
      oncall: r.oncall,
      secondaryOncall: r.secondary_oncall,
      rotation: r.rotation,
      secondaryRotation: r.secondary_rotation,
      groupBy: r.group_by,
      continue: r.continue,
    }));
    this.production = new RegExp(`^(?:${file.production_namespaces.join('|') || '(?!)'})$`);
  }

  decide(labels: Record<string, string>): RouteDecision {
    let priority: Priority | undefined;
    let chatId: string | undefined;
    let oncall: string[] | undefined;
    let secondary: string[] | undefined;
    let rotation: string | undefined;
    let secondaryRotation: string | undefined;
    let groupBy: string[] | undefined;
    const matched: string[] = [];
    for (const r of this.routes) {
      if (!matchesAll(r.matchers, labels)) continue;
      matched.push(r.name);
      priority ??= r.priority;
      chatId ??= r.chatId;
      if (oncall === undefined && r.oncall.length > 0) oncall = r.oncall;
      if (secondary === undefined && r.secondaryOncall.length > 0) secondary = r.secondaryOncall;
      rotation ??= r.rotation;
      secondaryRotation ??= r.secondaryRotation;
      groupBy ??= r.groupBy;
      if (!r.continue) break;
    }
    return {
      priority: priority ?? this.defaultPriority(labels),
      chatId: chatId ?? this.defaultChatId,
      oncall: oncall ?? [],
      secondaryOncall: secondary ?? [],
      ...(rotation ? { rotation } : {}),
      ...(secondaryRotation ? { secondaryRotation } : {}),
      groupBy: groupBy ?? DEFAULT_GROUP_BY,
      routes: matched,
    };
  }

  /** The priority table's defaults. */
  defaultPriority(labels: Record<string, string>): Priority {
    const explicit = (labels.priority ?? '').toUpperCase();
    if ((PRIORITIES as readonly string[]).includes(explicit)) return explicit as Priority;
    const severity = (labels.severity ?? '').toLowerCase();
    switch (severity) {
      case 'critical':
      case 'page':
        return this.isProduction(labels) ? 'P0' : 'P1';
      case 'warning':
        return 'P2';
      case 'info':
      case 'none':
        return 'P3';
      default:
        return 'P2';
    }
  }

  /** A production scope: the namespace, or an env/environment label, matches `production_namespaces`. */
  isProduction(labels: Record<string, string>): boolean {
    for (const key of ['namespace', 'env', 'environment']) {
      const v = labels[key];
      if (v !== undefined && this.production.test(v)) return true;
    }
    return false;
  }
}
