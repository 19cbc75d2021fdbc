import type { ServerResponse } from 'node:http';
import { type ApiContext, listFor, outward, selectorOf, storeKind } from './context.js';
import { compileSelector } from './selectors.js';
import type { K8sObject, WatchEvent } from './store.js';
import { type IncludeObject, toTable, wantsTable } from './table.js';

function expired(rv: string): Record<string, unknown> {
  return {
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${rv} (${rv})`,
      reason: 'Expired',
      code: 410,
    },
  };
}

/**
 * A `?watch=true` stream: newline-delimited watch events, starting after `resourceVersion` (or with ADDED for
 * everything that exists when none is given), as Table rows when the client asked for a Table.
 */
export function serveWatch(ctx: ApiContext, res: ServerResponse, onClose: (fn: () => void) => void): void {
  const { store, r } = ctx;
  const kind = storeKind(r);
  const match = compileSelector(selectorOf(ctx));
  const table = wantsTable(ctx.headers.accept);
  const include: IncludeObject = ctx.query.get('includeObject') === 'Object' ? 'Object' : 'Metadata';
  const inScope = (o: K8sObject) =>
    o.kind === kind && (ctx.namespace === undefined || o.metadata.namespace === ctx.namespace);
  /** Objects the client currently sees: a change that takes one out of the selector reads as DELETED. */
  const inView = new Set<string>();

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const send = (ev: WatchEvent) => {
    const o = outward(r, ev.object);
    const object = table
      ? toTable(r, [o], { now: store.clock.now(), resourceVersion: o.metadata.resourceVersion ?? '', include })
      : o;
    res.write(`${JSON.stringify({ type: ev.type, object })}\n`);
  };

  const deliver = (ev: WatchEvent) => {
    if (!inScope(ev.object)) return;
    const uid = ev.object.metadata.uid ?? '';
    const matches = match(outward(r, ev.object));
    if (ev.type === 'DELETED') {
      if (matches || inView.has(uid)) send(ev);
      inView.delete(uid);
    } else if (matches) {
      send(ev.type === 'MODIFIED' && !inView.has(uid) ? { ...ev, type: 'ADDED' } : ev);
      inView.add(uid);
    } else if (inView.has(uid)) {
      send({ type: 'DELETED', object: ev.object });
      inView.delete(uid);
    }
  };

  const rv = ctx.query.get('resourceVersion') ?? '';
  if (rv === '' || rv === '0') {
    for (const o of listFor(ctx)) deliver({ type: 'ADDED', object: o });
  } else {
    for (const o of listFor(ctx)) inView.add(o.metadata.uid ?? '');
    const past = store.eventsSince(Number(rv));
    if (past === undefined || Number.isNaN(Number(rv))) {
      res.end(`${JSON.stringify(expired(rv))}\n`);
      return;
    }
    for (const ev of past) deliver(ev);
  }
  const unsubscribe = store.subscribe(deliver);
  const timeout = Number(ctx.query.get('timeoutSeconds') ?? '');
  const timer =
    Number.isFinite(timeout) && timeout > 0 ? store.clock.setTimeout(() => finish(), timeout * 1000) : undefined;
  let done = false;
  function finish(): void {
    if (done) return;
    done = true;
    unsubscribe();
    if (timer) store.clock.clearTimeout(timer);
    res.end();
  }
  onClose(finish);
}
