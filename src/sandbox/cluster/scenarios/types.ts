import type { z } from 'zod';
import type { WorldContext } from '../world-context.js';

/** A failure that can be injected into the simulated cluster by name, and what fixes it. */
export interface Scenario<S extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  /** What an operator does to heal it (shown by the sandbox). */
  fix: string;
  target: S;
  /** Breaks the cluster; returns one sentence saying what was done. */
  inject(ctx: WorldContext, target: z.infer<S>): string;
  /** For causes outside Kubernetes objects' reach (a node's kubelet or disk): what the operator does on the host. */
  recover?(ctx: WorldContext, target: z.infer<S>): string;
}
