import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { withPortFallback } from '../../../src/sandbox/ports.js';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;
const close = (s: Server) => new Promise((r) => s.close(r));

describe('withPortFallback', () => {
  it('takes the preferred port when free, a free one when it is taken, and an explicit port as asked', async () => {
    const taken = await listen(0);
    const free = await listen(0);
    const freePort = portOf(free);
    await close(free);
    try {
      const preferred = await withPortFallback(undefined, freePort, listen);
      expect(portOf(preferred)).toBe(freePort);
      await close(preferred);

      const fallback = await withPortFallback(undefined, portOf(taken), listen);
      expect(portOf(fallback)).not.toBe(portOf(taken));
      await close(fallback);

      await expect(withPortFallback(portOf(taken), 1, listen)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await close(taken);
    }
  });
});
