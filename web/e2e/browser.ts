import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** The test runs the built app: say how to build it rather than fail obscurely. */
export function requireBuiltApp(): void {
  if (!existsSync(`${WEB_DIST}/index.html`)) {
    throw new Error(
      'web/dist is missing: run `npm run build:web` (or `npm install`) before the browser tests',
    );
  }
}

const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or null. A machine with only Node.js (the README's two
 * commands) skips them and says why; CI installs Chromium, so there a missing one is a failure.
 */
export const browserSkipReason: string | null =
  existsSync(CHROMIUM) || process.env.CI
    ? null
    : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PARLEY_CHROMIUM)`;
if (browserSkipReason) console.warn(`web browser tests skipped: ${browserSkipReason}`);

/** Debian's chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
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

/** Content Security Policy violations the page reports: the app must cause none. */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      violations.push(message.text());
    }
  });
  return violations;
}

let axeSource: string | undefined;

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${String(violation.impact)}): ${violation.targets.join(', ')}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}
