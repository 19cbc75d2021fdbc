/**
 * Headless Chromium for browser tests: the Debian `chromium` package driven by playwright-core (never a
 * downloaded browser). Tests use `describeWithChromium` so a machine without it skips them with a clear reason.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

export function describeWithChromium(name: string, body: () => void): void {
  if (hasChromium) {
    describe(name, body);
    return;
  }
  console.warn(`skipping "${name}": ${CHROMIUM_PATH} is not installed (apt-get install chromium)`);
  describe.skip(`${name} — skipped: ${CHROMIUM_PATH} is not installed (apt-get install chromium)`, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
