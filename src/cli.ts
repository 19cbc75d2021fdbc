#!/usr/bin/env node
/**
 * Process entry: hands argv and the environment to main() and exits with its code at once. A failed start may
 * leave a piece it had already started (a worker thread's port, a timer, an open connection) holding the event
 * loop; the process must not linger after main() has answered.
 */
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onSignal(handler) {
    const listener = (signal: NodeJS.Signals) => handler(signal);
    process.once('SIGINT', listener);
    process.once('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
});
process.exitCode = code;
process.exit(code);
