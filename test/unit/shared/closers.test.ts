import { describe, expect, it } from 'vitest';
import { Closers } from '../../../src/shared/closers.js';
import { silentLogger } from '../../../src/shared/log.js';

describe('closers', () => {
  it('stop what started in reverse order, once, and a failing one does not keep the rest from stopping', async () => {
    const closers = new Closers(silentLogger());
    const stopped: string[] = [];
    closers.add('database', () => stopped.push('database'));
    closers.add('tools', () => {
      throw new Error('stuck');
    });
    closers.add('http', async () => {
      stopped.push('http');
    });
    await closers.closeAll();
    await closers.closeAll();
    expect(stopped).toEqual(['http', 'database']);
  });
});
