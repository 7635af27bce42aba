/** Debian's Chromium driven by playwright-core (no browser download). */
import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_ENV = 'OCOP_TEST_CHROMIUM';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium to use: CHROMIUM_PATH, else the usual Debian paths. */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return fs.existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/** The Chromium chosen by `npm test` ('' = none: skip), or found here when run on its own. */
export function chromiumForTests(): string | undefined {
  const chosen = process.env[CHROMIUM_ENV];
  if (chosen !== undefined) return chosen || undefined;
  return findChromium();
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
