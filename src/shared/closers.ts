/**
 * What to undo at shutdown, in reverse order of starting: each part registers how it stops as it starts, so a
 * failed start and a graceful stop unwind the same way. A closer that fails is logged; the rest still run.
 */
import type { Logger } from './log.js';

export class Closers {
  private readonly stack: { name: string; close: () => unknown }[] = [];

  constructor(private readonly log: Logger) {}

  add(name: string, close: () => unknown): void {
    this.stack.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (let c = this.stack.pop(); c; c = this.stack.pop()) {
      try {
        await c.close();
      } catch (err) {
        this.log.error({ err, part: c.name }, 'stopping failed');
      }
    }
  }
}
