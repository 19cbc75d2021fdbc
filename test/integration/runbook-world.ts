/**
 * A world for runbook runs: the cluster simulator (demo topology) on a fake clock, the real ToolHost with the
 * Kubernetes tools over it, the real cluster reader, an in-memory store, the remediation side and a router —
 * clicks go through the router as the Feishu receiver would hand them over.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { Person } from '../../src/access/actor.js';
import { PeopleDirectory } from '../../src/access/people.js';
import { eventContext } from '../../src/app/context.js';
import { Router } from '../../src/app/router.js';
import { loadConfig } from '../../src/config.js';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor, type KubeDeps } from '../../src/mcp/k8s/clusters.js';
import { KubeClusterReader } from '../../src/mcp/k8s/reader.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { policyFromConfig } from '../../src/mcp/wire.js';
import type { MetricsQuery } from '../../src/ports/metrics-query.js';
import type { ToolHost } from '../../src/ports/tools.js';
import { loadRunbooks } from '../../src/runbooks/loader.js';
import { loadRun, runCardKey } from '../../src/runbooks/run-record.js';
import type { RunState } from '../../src/runbooks/run-state.js';
import { Remediation } from '../../src/runbooks/service.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { translator } from '../../src/shared/i18n.js';
import { silentLogger } from '../../src/shared/log.js';
import { Store } from '../../src/store/index.js';
import { FakeClock } from '../helpers/fake-clock.js';

export const CHAT = 'oc_runbooks';
export const OPERATOR = 'ou_operator0001';
export const APPROVER = 'ou_approver0001';
export const APPROVER2 = 'ou_approver0002';
export const VIEWER = 'ou_viewer000001';
export const ADMIN = 'ou_admin0000001';

const PEOPLE = `people:
  - { id: ${OPERATOR}, roles: [operator] }
  - { id: ${APPROVER}, roles: [approver] }
  - { id: ${APPROVER2}, roles: [approver] }
  - { id: ${VIEWER}, roles: [viewer] }
  - { id: ${ADMIN}, roles: [admin] }
`;

export interface WorldOptions {
  yaml?: string;
  metrics?: MetricsQuery;
  /** Wraps the ToolHost the engine uses (to stop a call midway, as a crash would). */
  wrapTools?: (host: ToolHost) => ToolHost;
  /** Reuse the cluster and store of an earlier world (a restart). */
  from?: { clock: FakeClock; sim: ClusterSimulator; store: Store };
}

export async function runbookWorld(o: WorldOptions = {}) {
  const clock = o.from?.clock ?? new FakeClock();
  const sim: ClusterSimulator = o.from?.sim ?? (await startClusterSimulator({ clock, world: { tickMs: 0, seed: 7 } }));
  const r = loadConfig(
    { BOT_LOCALE: 'en-US', DATABASE_PATH: ':memory:', FEISHU_DEFAULT_CHAT_ID: CHAT, SRE_NANOBOT_CONFIG: 'x.yaml' },
    { readFile: () => `${PEOPLE}${o.yaml ?? ''}` },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  const config = r.config;
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(sim.url));
  const kube: KubeDeps = {
    clusters: new Map([['sim', clientsFor(kc, 'sim')]]),
    defaultCluster: 'sim',
    now: () => clock.now(),
  };
  const store = o.from?.store ?? Store.open(':memory:');
  const tools = await McpToolHost.start({
    builtIns: [{ name: 'k8s', server: createKubernetesServer(kube) }],
    policy: policyFromConfig(config),
    clusters: ['sim'],
    log: silentLogger(),
    now: () => clock.now(),
    audit: store.audit,
    approvals: store.approvals,
  });
  const { runbooks, problems } = loadRunbooks();
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  const t = translator('en-US');
  const remediation = new Remediation({
    config,
    store,
    clock,
    log: silentLogger(),
    t,
    runbooks,
    tools: o.wrapTools ? o.wrapTools(tools) : tools,
    reader: new KubeClusterReader(kube),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    pollMs: 2_000,
  });
  const router = new Router();
  remediation.register(router);
  const resumed = remediation.start();
  const people = new PeopleDirectory(config.file.people as Person[]);
  let seq = 0;
  const app = { config, log: silentLogger(), store, clock, metrics: undefined as never, tools };

  const w = {
    resumed,
    clock,
    sim,
    store,
    tools,
    remediation,
    router,
    config,
    /** A button click as the receiver hands it to the router. */
    click(operator: string, value: unknown, messageId = 'om_none') {
      const click = { operatorOpenId: operator, messageId, chatId: CHAT, token: 't', eventId: `ev_${++seq}` };
      const ctx = eventContext(app, {
        eventId: click.eventId,
        actor: people.resolve(operator),
        chatId: CHAT,
        deadline: clock.now() + 2500,
      });
      return router.dispatchCardAction(value, click, ctx);
    },
    /** The Feishu message of a run's card, as the outbox worker records it once Feishu accepted it. */
    cardMessage(runId: string): string {
      const key = runCardKey(runId);
      const existing = store.cards.messageId(key);
      if (existing) return existing;
      const id = `om_${runId}`;
      store.cards.record(key, CHAT, id, clock.now());
      return id;
    },
    approve(runId: string, who = APPROVER) {
      const run = loadRun(remediation.deps, runId);
      return w.click(who, { action: 'approve', approvalId: run?.plan.decisionId }, w.cardMessage(runId));
    },
    reject(runId: string, who = APPROVER) {
      const run = loadRun(remediation.deps, runId);
      return w.click(who, { action: 'reject', approvalId: run?.plan.decisionId }, w.cardMessage(runId));
    },
    state(runId: string): RunState {
      const run = loadRun(remediation.deps, runId);
      if (!run) throw new Error(`no run ${runId}`);
      return run.state;
    },
    /** Runs the cluster and the engine's clock forward until `done` holds (bounded). */
    async until(done: () => boolean, maxSeconds = 1200, step = 1000): Promise<void> {
      for (let s = 0; s < maxSeconds && !done(); s += step / 1000) {
        await clock.advance(step);
        sim.tick();
        await new Promise((r) => setImmediate(r));
      }
      if (!done()) throw new Error(`not done after ${maxSeconds}s of cluster time`);
    },
    async run(seconds: number) {
      for (let i = 0; i < seconds; i++) {
        await clock.advance(1000);
        sim.tick();
      }
    },
    latestRunId(): string {
      const rows = store.runbookRuns.inStates([
        'awaiting_approval',
        'running',
        'verifying',
        'rolling_back',
        'succeeded',
        'failed',
        'rolled_back',
        'rejected',
        'expired',
        'interrupted',
      ]);
      const last = rows.at(-1);
      if (!last) throw new Error('no run');
      return last.id;
    },
    outboxOf(runId: string) {
      return store.outbox.byRef(runCardKey(runId));
    },
    /** The run's closing message (a reply under its card, or a text in the chat). */
    finalText(runId: string): string | undefined {
      const m = store.outbox.byRef(runCardKey(runId)).find((o) => o.dedupeKey === `run-final:${runId}`);
      if (!m) return undefined;
      return typeof m.payload.text === 'string' ? m.payload.text : JSON.parse(String(m.payload.content)).text;
    },
    /** The run card as last queued. */
    lastCard(runId: string): string {
      const items = store.outbox
        .byRef(runCardKey(runId))
        .filter((o) => o.kind === 'patch_card' || o.kind === 'send_card');
      return JSON.stringify(items.at(-1)?.payload.card);
    },
    /** An incident in the chat for shop/checkout (its timeline gets the run's entries). */
    incident(namespace = 'shop'): number {
      return store.incidents.create(
        {
          groupKey: `g-${namespace}-${++seq}`,
          title: 'KubePodCrashLooping',
          priority: 'P1',
          chatId: CHAT,
          namespace,
          cluster: 'sim',
          labels: { alertname: 'KubePodCrashLooping', namespace },
          resources: [],
        },
        clock.now(),
      ).id;
    },
    /** The process dies: nothing more is driven, nothing in flight is awaited. */
    kill() {
      void remediation.stop({ wait: false });
    },
    async close() {
      await remediation.stop();
      await tools.close();
      store.close();
      await sim.close();
    },
  };
  if (!o.from) await w.run(5);
  return w;
}

export type RunbookWorld = Awaited<ReturnType<typeof runbookWorld>>;

/** A restart: the world's engine stops and its tool host closes; the store and the cluster stay. */
export async function restart(w: RunbookWorld, opts: Omit<WorldOptions, 'from'> = {}): Promise<RunbookWorld> {
  await w.remediation.stop({ wait: false });
  await w.tools.close();
  return runbookWorld({ ...opts, from: w });
}
