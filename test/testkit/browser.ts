import { type Browser, chromium } from 'playwright-core';
import { loadTestConfig } from './config';

/** Headless Debian Chromium (TEST_CHROMIUM_PATH) for the browser tests; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: loadTestConfig().TEST_CHROMIUM_PATH,
    // This machine's network is closed: keep Chromium from reaching out at start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
