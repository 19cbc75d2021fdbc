/**
 * The incident card's Investigate button and automatic diagnosis, over the simulated cluster read through the
 * real cluster reader: findings in the card's thread as a diagnosis card with Run buttons carrying the incident,
 * a typed `diagnosed` timeline entry, the incident card showing the top cause, one diagnosis per click burst,
 * the hand-off to an investigator (or the note on what deeper analysis needs), and `diagnosis.auto`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { Router } from '../../src/app/router.js';
import { ingestWebhook } from '../../src/incidents/apply-webhook.js';
import { type DiagnosedEvent, IncidentDiagnoser, registerInvestigate } from '../../src/incidents/investigate.js';
import { resolve } from '../../src/incidents/lifecycle.js';
import { incidentCardKey } from '../../src/incidents/publish.js';
import type { InvestigationRequest, Investigator } from '../../src/ports/remediation.js';
import { Metrics } from '../../src/shared/metrics.js';
import { alert, body, DEFAULT_YAML, harness } from '../helpers/alerts.js';
import { forClick } from '../helpers/app-context.js';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';

let world: DiagnosisWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function setup(o: { investigator?: Investigator; llm?: boolean; noCluster?: boolean; yaml?: string } = {}) {
  world = await diagnosisWorld();
  const w = world;
  const h = harness({ clock: w.clock, yaml: o.yaml ?? DEFAULT_YAML });
  const diagnosed: DiagnosedEvent[] = [];
  const diagnoser = new IncidentDiagnoser({
    incidents: h,
    sources: o.noCluster ? undefined : { reader: w.reader },
    investigator: o.investigator,
    llmConfigured: o.llm ?? false,
    onDiagnosed: (e) => diagnosed.push(e),
    cardWaitMs: 1000,
  });
  const router = new Router();
  registerInvestigate(router, diagnoser, h);
  const app: AppContext = {
    config: h.config,
    log: h.log,
    store: h.store,
    clock: h.clock,
    metrics: new Metrics({ defaultMetrics: false }),
  };
  /** An incident on shop/checkout whose card was sent as `om_card<id>`. */
  function incident(labels: Record<string, string> = {}): number {
    const id = ingestWebhook(
      h,
      body([
        alert({
          alertname: 'KubePodCrashLooping',
          namespace: 'shop',
          deployment: 'checkout',
          severity: 'critical',
          ...labels,
        }),
      ]),
      '{}',
    ).incidents[0] as number;
    h.store.cards.record(incidentCardKey(id), 'oc_shop', `om_card${id}`, h.clock.now());
    return id;
  }
  let n = 0;
  const click = (id: number, who = 'ou_alice') => {
    const c = { operatorOpenId: who, messageId: `om_card${id}`, chatId: 'oc_shop', token: 't', eventId: `ev_${++n}` };
    return router.dispatchCardAction({ action: 'investigate', incidentId: id }, c, forClick(app, c));
  };
  const replies = () => h.messages({ kind: 'reply' }).filter((m) => m.kind === 'reply');
  return { w, h, diagnoser, diagnosed, incident, click, replies };
}

describe('Investigate button', () => {
  it('posts the findings in the thread, records them, shows the top cause, once per click burst', async () => {
    const s = await setup();
    s.w.sim.inject('crashloop', {});
    await s.w.run(90);
    const id = s.incident();
    const [first, second] = await Promise.all([s.click(id), s.click(id)]);
    expect(first.toast?.content).toContain(`Diagnosing incident #${id}`);
    expect(second.toast?.content).toContain('already');
    await s.diagnoser.idle();

    const replies = s.replies();
    expect(replies).toHaveLength(1);
    const reply = replies[0];
    if (reply?.kind !== 'reply') throw new Error('no reply');
    expect(reply).toMatchObject({ messageId: `om_card${id}`, inThread: true, msgType: 'interactive' });
    expect(reply.content).toContain('CrashLoopBackOff');
    // A Run button per suggested runbook, with its params and the incident.
    expect(reply.content).toContain('"action":"run_runbook","runbookId":"deployment-rollback"');
    expect(reply.content).toContain(`"incidentId":${id}`);
    expect(reply.content).toContain('needs an LLM: set OPENAI&#95;BASE&#95;URL'); // markdown-escaped
    expect(Buffer.byteLength(reply.content)).toBeLessThan(30 * 1024);

    const entry = s.h.store.timeline.latest(id, 'diagnosed');
    expect(entry?.actor).toBe('ou_alice');
    expect(entry?.detail).toMatchObject({ verdict: 'problems', trigger: 'button' });
    expect(entry?.detail.findings[0]).toMatchObject({ pattern: 'pod.crash_loop' });
    expect(entry?.detail.findings[0]?.runbooks?.[0]?.id).toBe('deployment-rollback');
    expect(s.diagnosed).toHaveLength(1);
    expect(s.diagnosed[0]).toMatchObject({ incidentId: id, trigger: 'button', entryId: entry?.id });

    const patch = s.h.messages({ kind: 'patch_card' }).at(-1);
    const patched = JSON.stringify(patch);
    expect(patched).toContain('Top cause');
    expect(patched).toContain('CrashLoopBackOff');
    expect(patched).toContain('"action":"investigate"');

    // Within the burst a click starts nothing; after it, a fresh diagnosis.
    const again = await s.click(id);
    expect(again.toast?.content).toContain('was diagnosed');
    await s.diagnoser.idle();
    expect(s.replies()).toHaveLength(1);
    await s.h.clock.advance(31_000);
    expect((await s.click(id)).toast?.content).toContain('Diagnosing');
    await s.diagnoser.idle();
    expect(s.replies()).toHaveLength(2);
    expect(s.diagnosed).toHaveLength(2);
  });

  it('hands the findings to the investigator, replying in the same thread', async () => {
    const calls: InvestigationRequest[] = [];
    const s = await setup({ investigator: { investigate: async (r) => void calls.push(r) }, llm: true });
    s.w.sim.inject('oomkilled', {});
    await s.w.run(90);
    const id = s.incident();
    await s.click(id);
    await s.diagnoser.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ incidentId: id, chatId: 'oc_shop', replyTo: `om_card${id}` });
    expect(calls[0]?.actor.openId).toBe('ou_alice');
    expect(calls[0]?.findings[0]?.pattern).toBe('pod.oom_killed');
    const reply = s.replies()[0];
    expect(reply?.kind === 'reply' && reply.content).toContain('The assistant is investigating further');
  });

  it('says so when the investigator fails, and when there is no cluster or the incident is resolved', async () => {
    const s = await setup({
      investigator: {
        investigate: async () => {
          throw new Error('model endpoint refused');
        },
      },
    });
    const id = s.incident();
    await s.click(id);
    await s.diagnoser.idle();
    const texts = s.replies().map((m) => (m.kind === 'reply' ? m.content : ''));
    expect(texts.join('\n')).toContain('could not start an investigation: model endpoint refused');
    // A healthy namespace: the card says so and the incident card says "no problems found".
    expect(texts[0]).toContain('no problems found');
    expect(JSON.stringify(s.h.messages({ kind: 'patch_card' }).at(-1))).toContain('no problems found in the cluster');

    resolve(s.h, id, 'ou_alice');
    expect((await s.click(id)).toast?.content).toContain('is resolved');
    await world?.close();
    const none = await setup({ noCluster: true });
    const other = none.incident();
    expect((await none.click(other)).toast?.content).toContain('No cluster is configured');
  });
});

describe('diagnosis.auto', () => {
  it('diagnoses new P0/P1 incidents as they open, not P2, and posts in the thread', async () => {
    const s = await setup();
    s.w.sim.inject('image-pull', {});
    await s.w.run(90);
    const stop = s.diagnoser.startAuto();
    const p1 = s.incident();
    const p2 = s.incident({ severity: 'warning', alertname: 'KubeDeploymentReplicasMismatch', deployment: 'cart' });
    await s.diagnoser.idle();
    stop();
    expect(s.h.store.timeline.latest(p1, 'diagnosed')?.detail).toMatchObject({ trigger: 'auto', verdict: 'problems' });
    expect(s.h.store.timeline.latest(p1, 'diagnosed')?.actor).toBe('system');
    expect(s.h.store.timeline.latest(p2, 'diagnosed')).toBeUndefined();
    const reply = s.replies()[0];
    expect(reply?.kind === 'reply' && reply.content).toContain('ImagePullBackOff');
    // An automatic diagnosis says nothing about the assistant.
    expect(reply?.kind === 'reply' && reply.content).not.toContain('OPENAI&#95;BASE');
    expect(s.diagnosed.map((e) => e.trigger)).toEqual(['auto']);
  });

  it('an incident whose priority rises into diagnosis.auto is diagnosed then', async () => {
    const s = await setup();
    const stop = s.diagnoser.startAuto();
    const labels = { alertname: 'KubePodCrashLooping', namespace: 'shop', deployment: 'checkout' };
    const id = s.incident({ ...labels, severity: 'warning' });
    await s.diagnoser.idle();
    expect(s.h.store.timeline.latest(id, 'diagnosed')).toBeUndefined();
    ingestWebhook(
      s.h,
      body([alert({ ...labels, alertname: 'KubeDeploymentReplicasMismatch', severity: 'critical' })]),
      '{}',
    );
    await s.diagnoser.idle();
    stop();
    expect(s.h.store.incidents.get(id)?.priority).toBe('P1');
    expect(s.h.store.timeline.latest(id, 'diagnosed')?.detail.trigger).toBe('auto');
  });

  it('many incidents opening at once are diagnosed a few at a time, each once', async () => {
    const s = await setup();
    let inFlight = 0;
    let most = 0;
    const list = s.w.reader.list.bind(s.w.reader);
    s.w.reader.list = (async (...a: Parameters<typeof list>) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await list(...a);
      } finally {
        inFlight--;
      }
    }) as typeof list;
    const stop = s.diagnoser.startAuto();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => s.incident({ deployment: `svc-${x}` }));
    await s.diagnoser.idle();
    stop();
    for (const id of ids) expect(s.h.store.timeline.list(id).filter((e) => e.kind === 'diagnosed')).toHaveLength(1);
    // Two diagnoses at a time, each listing every kind in parallel.
    expect(most).toBeLessThanOrEqual(2 * 20);
    expect(most).toBeGreaterThan(20);
  });

  it('an empty diagnosis.auto diagnoses nothing by itself', async () => {
    const s = await setup({ yaml: `${DEFAULT_YAML}\ndiagnosis: { auto: [] }\n` });
    const stop = s.diagnoser.startAuto();
    const id = s.incident();
    await s.diagnoser.idle();
    stop();
    expect(s.h.store.timeline.latest(id, 'diagnosed')).toBeUndefined();
  });
});
