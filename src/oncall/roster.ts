/**
 * The rotations of the configuration with their overrides — those of the configuration and those set in chat
 * (`oncall_overrides`) — answering who is on call for a rotation at an instant and who comes next. Overrides
 * set in chat take precedence over configured ones, and a later one over an earlier one.
 */
import type { Store } from '../store/index.js';
import type { OncallOverridesRepo } from '../store/repos/oncall-overrides.js';
import {
  nextOnCall,
  type OnCall,
  type Override,
  onCallAt,
  parseHandover,
  parseStartDate,
  type RotationSpec,
} from './rotation.js';
import type { OncallConfig } from './schema.js';
import { parseLocalTime } from './zoned-time.js';

export interface RotationInfo {
  name: string;
  zone: string;
  every: 'daily' | 'weekly';
  members: readonly string[];
}

export class OncallRoster {
  private readonly specs = new Map<string, RotationSpec>();
  private readonly configured = new Map<string, Override[]>();
  private readonly repo: OncallOverridesRepo | undefined;

  constructor(oncall: OncallConfig, defaultZone: string, store?: Store) {
    for (const r of oncall.rotations) {
      const zone = r.timezone ?? defaultZone;
      this.specs.set(r.name, {
        name: r.name,
        members: r.members,
        every: r.every,
        handoverMinute: parseHandover(r.handover) ?? 540,
        zone,
        startDay: parseStartDate(r.start) ?? 0,
      });
      this.configured.set(r.name, []);
    }
    for (const o of oncall.overrides) {
      const spec = this.specs.get(o.rotation);
      if (!spec) continue;
      const from = parseLocalTime(o.from, spec.zone);
      const to = parseLocalTime(o.to, spec.zone);
      if (from !== undefined && to !== undefined && to > from) {
        this.configured.get(o.rotation)?.push({ who: o.who, from, to, by: 'config' });
      }
    }
    this.repo = store && this.specs.size > 0 ? store.oncallOverrides : undefined;
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  info(name: string): RotationInfo | undefined {
    const s = this.specs.get(name);
    return s && { name: s.name, zone: s.zone, every: s.every, members: s.members };
  }

  /** The overrides that matter at or after `at`, in precedence order (later wins). */
  overrides(name: string, at: number): Override[] {
    const configured = (this.configured.get(name) ?? []).filter((o) => o.to > at);
    const set = (this.repo?.notEnded(name, at) ?? []).map((o) => ({
      who: o.who,
      from: o.startsAt,
      to: o.endsAt,
      by: o.createdBy,
    }));
    return [...configured, ...set];
  }

  /** Who is on call for the rotation at `at`; undefined for a rotation that does not exist. */
  onCall(name: string, at: number): OnCall | undefined {
    const spec = this.specs.get(name);
    return spec && onCallAt(spec, this.overrides(name, at), at);
  }

  /** Who takes over next after whoever is on call at `at`, and when. */
  next(name: string, at: number): { who: string; from: number } | undefined {
    const spec = this.specs.get(name);
    return spec && nextOnCall(spec, this.overrides(name, at), at);
  }

  /** Records an override set in chat (once per source). */
  addOverride(o: { rotation: string; who: string; from: number; to: number; by: string; source: string }, now: number) {
    if (!this.repo) throw new Error('no rotations are configured');
    return this.repo.add(
      { rotation: o.rotation, who: o.who, startsAt: o.from, endsAt: o.to, createdBy: o.by, source: o.source },
      now,
    );
  }
}

const rosters = new WeakMap<Store, { oncall: OncallConfig; zone: string; roster: OncallRoster }>();

/** The roster of a store and configuration (one per store, rebuilt if the configuration object changes). */
export function rosterOf(store: Store, oncall: OncallConfig, zone: string): OncallRoster {
  const hit = rosters.get(store);
  if (hit && hit.oncall === oncall && hit.zone === zone) return hit.roster;
  const roster = new OncallRoster(oncall, zone, store);
  rosters.set(store, { oncall, zone, roster });
  return roster;
}
