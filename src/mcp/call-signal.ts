/**
 * The abort signal of the tool call in progress, carried implicitly down to the HTTP clients (Kubernetes,
 * Prometheus) so that a call's deadline cancels the requests it made, not just the wait for them. The tool
 * wrapper (`registerTools`) sets it around each call; adapters read it when they send a request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

export function withCallSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return current.run(signal, fn);
}

/** The signal of the call this code runs for, if any. */
export function callSignal(): AbortSignal | undefined {
  return current.getStore();
}
