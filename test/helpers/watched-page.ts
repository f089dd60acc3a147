// A page of a launched Chromium that records its console errors and uncaught exceptions, for
// tests that end by checking a page logged none.
import type { Browser, Page } from 'playwright-core';

/** Opens a 1400 × 1000 page; `errors` fills with `console: ...` and `pageerror: ...` lines. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void errors.push(`pageerror: ${e.message}`));
  return { page, errors };
}
