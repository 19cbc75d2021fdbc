import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Harness, seedIncident, startHarness } from './console-harness.js';

interface Sse {
  id: string;
  event: string;
  data: string;
}

/** Reads server-sent events from a response until `until` holds or the deadline passes. */
async function readEvents(res: Response, until: (seen: Sse[]) => boolean, ms = 5000): Promise<Sse[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: Sse[] = [];
  let buf = '';
  const deadline = Date.now() + ms;
  try {
    while (!until(seen) && Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((r) =>
          setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()),
        ),
      ]);
      if (chunk.done) break;
      buf += decoder.decode(chunk.value, { stream: true });
      let end = buf.indexOf('\n\n');
      while (end >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const e: Sse = { id: '', event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) e.data = line.slice(6);
        }
        if (block.split('\n').some((l) => !l.startsWith(':') && !l.startsWith('retry:'))) seen.push(e);
        end = buf.indexOf('\n\n');
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return seen;
}

describe('console events (server-sent)', () => {
  let h: Harness;
  const open = (lastEventId?: string) =>
    fetch(`${h.base}/console/events`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    });
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('streams domain events after commit, each with an id', async () => {
    const res = await open();
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(res, (s) => s.some((e) => e.event === 'incident.opened'));
    const inc = seedIncident(h);
    const seen = await reading;
    const opened = seen.find((e) => e.event === 'incident.opened');
    expect(opened && JSON.parse(opened.data)).toMatchObject({ type: 'incident.opened', incidentId: inc.id });
    expect(opened?.id).toMatch(/^[0-9a-f]{8}-\d+$/);
    expect(seen.some((e) => e.event === 'timeline.added')).toBe(true);
    expect(seen.some((e) => e.event === 'message.queued')).toBe(false);
  });

  it('replays what a client missed from its Last-Event-ID, and resyncs one from another boot', async () => {
    const first = await readEvents(await open(), (s) => s.some((e) => e.event === 'hello'));
    const hello = first.find((e) => e.event === 'hello') as Sse;
    const missed = seedIncident(h, { title: 'missed while away' });
    const replay = await readEvents(await open(hello.id), (s) => s.some((e) => e.event === 'hello'));
    expect(replay.filter((e) => e.event === 'incident.opened').map((e) => JSON.parse(e.data).incidentId)).toEqual([
      missed.id,
    ]);
    const resync = await readEvents(await open('0badb007-12'), (s) => s.some((e) => e.event === 'hello'));
    expect(resync.map((e) => e.event)).toEqual(['resync', 'hello']);
  });

  it('tells a client from before a restart to resync', async () => {
    const before = await readEvents(await open(), (s) => s.some((e) => e.event === 'hello'));
    const id = (before.find((e) => e.event === 'hello') as Sse).id;
    await h.restart();
    const after = await readEvents(await open(id), (s) => s.some((e) => e.event === 'hello'));
    expect(after[0]?.event).toBe('resync');
    expect(after.find((e) => e.event === 'hello')?.id.split('-')[0]).not.toBe(id.split('-')[0]);
  });
});
