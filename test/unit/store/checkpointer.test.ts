import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackgroundCheckpointer } from '../../../src/store/checkpointer.js';
import { Store } from '../../../src/store/index.js';

describe('BackgroundCheckpointer', () => {
  it('keeps the WAL bounded under writes that never pause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-wal-'));
    const path = join(dir, 'db.sqlite');
    const store = Store.open(path);
    const checkpointer = new BackgroundCheckpointer(store.db, path, { intervalMs: 10, maxWalPages: 256 });
    await new Promise((r) => setTimeout(r, 300)); // the worker thread starts
    const body = 'x'.repeat(1000);
    let written = 0;
    let largest = 0;
    // 16 MB of bodies in small transactions about a millisecond apart, far beyond the 1 MB threshold: without
    // the restart the WAL would hold all of it; with it, the WAL stays within what is written between two
    // background checkpoints (generously bounded here, for a busy machine).
    while (written < 16 * 1024 * 1024) {
      store.tx(() => {
        for (let i = 0; i < 20; i++) {
          store.alerts.recordWebhook({ groupKey: 'g', status: 'firing', alertCount: 1, body }, 0);
        }
      });
      written += 20 * body.length;
      await new Promise((r) => setTimeout(r, 1));
      if (written > 4 * 1024 * 1024) largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    await checkpointer.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    expect(largest).toBeLessThan(8 * 1024 * 1024);
  }, 20_000);
});
