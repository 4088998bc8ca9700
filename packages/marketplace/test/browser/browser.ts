import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, as root on a machine with no outside network. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`make system-deps\` (installs Debian's chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface PageProblems {
  readonly consoleErrors: string[];
  readonly cspViolations: string[];
}

/**
 * Records console errors, uncaught page errors and CSP violations. The listener is installed by
 * the browser itself (an init script is not subject to the page's CSP).
 */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems = { consoleErrors: [] as string[], cspViolations: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(error.message));
  await page.exposeFunction('__reportCspViolation', (directive: string) => problems.cspViolations.push(directive));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportCspViolation(d: string): void }).__reportCspViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  return problems;
}
