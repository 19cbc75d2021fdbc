import type { Config } from '../config.js';
import type { Clock } from '../ports/clock.js';
import type { LlmPort } from '../ports/llm.js';
import type { ToolHost } from '../ports/tools.js';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import type { Store } from '../store/index.js';

/**
 * What every handler receives beside its event: handlers are functions of `(event, ctx)`. Ports for Feishu,
 * tools and the LLM join this context as their layers land; tests build it with fakes.
 */
export interface AppContext {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  metrics: Metrics;
  /** The LLM, when an OpenAI-compatible endpoint is configured; diagnosis works without it. */
  llm?: LlmPort;
  /** Every tool (Kubernetes, Prometheus, external MCP servers) behind one policy. */
  tools?: ToolHost;
}
