/**
 * `/diagnose` in chat over the simulated cluster: a namespace, a resource with a kubectl short name, the
 * incident of the thread, "working on it" first, the diagnosis card with Run buttons, bad targets answered
 * with the usage, no cluster said plainly, and the permission check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PeopleDirectory } from '../../src/access/people.js';
import type { AppContext } from '../../src/app/context.js';
import { type IncomingMessage, Router } from '../../src/app/router.js';
import { createDiagnoseCommand } from '../../src/commands/diagnose.js';
import { registerCommands } from '../../src/commands/index.js';
import { ingestWebhook } from '../../src/incidents/apply-webhook.js';
import { incidentCardKey } from '../../src/incidents/publish.js';
import { Metrics } from '../../src/shared/metrics.js';
import { alert, body, DEFAULT_YAML, harness } from '../helpers/alerts.js';
import { forMessage } from '../helpers/app-context.js';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';

let world: DiagnosisWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const YAML = `${DEFAULT_YAML}
people:
  - id: ou_viewer
    roles: [viewer]
`;

async function setup(o: { noCluster?: boolean } = {}) {
  world = await diagnosisWorld();
  const w = world;
  const h = harness({ clock: w.clock, yaml: YAML });
  const router = new Router();
  registerCommands(router, [createDiagnoseCommand(o.noCluster ? undefined : { reader: w.reader })], {
    incidents: h,
    alertmanager: undefined,
  });
  const app: AppContext = {
    config: h.config,
    log: h.log,
    store: h.store,
    clock: h.clock,
    metrics: new Metrics({ defaultMetrics: false }),
  };
  const people = new PeopleDirectory(h.config.file.people as never);
  let n = 0;
  async function send(text: string, over: Partial<IncomingMessage> = {}) {
    const before = h.messages({ kind: 'reply' }).length;
    const msg: IncomingMessage = {
      eventId: `ev_${++n}`,
      messageId: `om_${n}`,
      chatId: 'oc_shop',
      chatType: 'group',
      senderOpenId: 'ou_viewer',
      messageType: 'text',
      text,
      mentions: [],
      mentionedBot: true,
      createTime: 0,
      ...over,
    };
    await router.dispatchMessage(msg, { ...forMessage(app, msg), actor: people.resolve(msg.senderOpenId) });
    return h
      .messages({ kind: 'reply' })
      .slice(before)
      .map((m) => (m.kind !== 'reply' ? '' : m.msgType === 'text' ? JSON.parse(m.content).text : m.content));
  }
  return { w, h, send };
}

describe('/diagnose', () => {
  it('diagnoses a namespace and a resource given with a short name, working on it first', async () => {
    const s = await setup();
    s.w.sim.inject('oomkilled', {});
    await s.w.run(90);
    const [working, card] = await s.send('/diagnose shop');
    expect(working).toBe('Working on it…');
    expect(card).toContain('Diagnosis of namespace shop');
    expect(card).toContain('OOMKilled');
    expect(card).toContain('"runbookId":"raise-memory-limit"');
    expect(card).not.toContain('"incidentId"');
    const [, one] = await s.send('/diagnose deploy/checkout -n shop');
    expect(one).toContain('Diagnosis of shop/deployment/checkout');
    expect(one).toContain('256Mi');
    const [, healthy] = await s.send('/diagnose svc/cart --namespace=shop');
    expect(healthy).toContain('no problems found');
    expect(healthy).toContain('Checked');
  });

  it('in an incident thread a bare /diagnose diagnoses the incident; Run buttons carry it', async () => {
    const s = await setup();
    s.w.sim.inject('crashloop', {});
    await s.w.run(90);
    const id = ingestWebhook(
      s.h,
      body([
        alert({ alertname: 'KubePodCrashLooping', namespace: 'shop', deployment: 'checkout', severity: 'critical' }),
      ]),
      '{}',
    ).incidents[0] as number;
    s.h.store.cards.record(incidentCardKey(id), 'oc_shop', 'om_card', s.h.clock.now());
    const [, card] = await s.send('/diagnose', { rootId: 'om_card', threadId: 'omt_1' });
    expect(card).toContain(`Diagnosis of incident #${id}`);
    expect(s.h.store.timeline.latest(id, 'diagnosed')?.detail).toMatchObject({
      trigger: 'command',
      verdict: 'problems',
    });
    expect(s.h.store.timeline.latest(id, 'diagnosed')?.actor).toBe('ou_viewer');
    expect(JSON.stringify(s.h.messages({ kind: 'patch_card' }).at(-1))).toContain('Top cause');
    expect(card).toContain('CrashLoopBackOff');
    expect(card).toContain(
      `"runbookId":"deployment-rollback","params":{"namespace":"shop","deployment":"checkout","revision":"1"},"incidentId":${id}`,
    );
  });

  it('answers a bad target or a missing one with the usage, and says when no cluster is configured', async () => {
    const s = await setup();
    expect(await s.send('/diagnose')).toEqual(['Usage: /diagnose <namespace | kind/name -n namespace>']);
    const [bad] = await s.send('/diagnose widget/x -n shop');
    expect(bad).toContain('"widget" is not a kind I can diagnose');
    expect(bad).toContain('Usage: /diagnose');
    const [noNs] = await s.send('/diagnose deploy/checkout');
    expect(noNs).toContain('needs a namespace');
    expect(await s.send('/diagnose shop --tail 5')).toEqual(['Usage: /diagnose <namespace | kind/name -n namespace>']);
    await world?.close();
    const none = await setup({ noCluster: true });
    expect(await none.send('/diagnose shop')).toEqual([
      'No cluster tools are configured, so I cannot ask the cluster.',
    ]);
  });

  it('refuses someone who is not among the configured people', async () => {
    const s = await setup();
    const [refusal] = await s.send('/diagnose shop', { senderOpenId: 'ou_stranger' });
    expect(refusal).toMatch(/viewer/);
  });
});
