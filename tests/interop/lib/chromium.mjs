// Debian's Chromium (/usr/bin/chromium) driven by playwright-core, offline: playwright-core is
// the driver alone (it never downloads a browser), every request a page makes is recorded and
// refused, and the browser's own background traffic is switched off.
import { existsSync, rmSync } from 'node:fs';

export const kChromium = '/usr/bin/chromium';

const kArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The reason the browser tests cannot run here, or null when they can.
export async function whyNoBrowser() {
  if (!existsSync(kChromium)) return `${kChromium} is missing (scripts/install-deps.sh installs chromium)`;
  try {
    await import('playwright-core');
  } catch {
    return 'the npm package playwright-core is missing (run scripts/install-deps.sh)';
  }
  return null;
}

// Launches Chromium with a fresh profile in userDataDir. Requests to `allowed` URLs go
// through; any other is refused and listed in the returned `blocked` array (the test fails on
// it). Returns { context, blocked, close }.
export async function launchOffline(userDataDir, allowed, options = {}) {
  const { chromium } = await import('playwright-core');
  rmSync(userDataDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: kChromium,
    headless: true,
    args: kArgs,
    acceptDownloads: true,
    ...options,
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed.has(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return { context, blocked, close: () => context.close() };
}

// Records what a page reports that a reader would never see: console errors and warnings,
// and uncaught exceptions. Returns the array the messages land in.
export function watchPage(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('crash', () => problems.push('page crashed'));
  return problems;
}
