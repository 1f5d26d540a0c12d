// Shared setup of the browser tests: Debian's Chromium driven by
// playwright-core (which downloads no browser of its own), a fresh context
// per test, and full-page screenshots saved as artifacts.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || '').replace(/\/$/, '');
if (!BASE_URL) {
  throw new Error('BASE_URL is not set: run the tests with tests/browser/run.sh');
}
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = process.env.SCREENSHOT_DIR
  || join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');

/** Launches headless Chromium; one per test file, closed in `after`. */
export function launch() {
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
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

/**
 * A fresh context (own cookies) and page. The browser's language is Chinese
 * unless `options.locale` says otherwise, so `Accept-Language` is zh-CN like a
 * citizen's browser; everything else the page shows comes from the server.
 * Every request is checked to stay on BASE_URL.
 */
export async function open(browser, t, options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const offsite = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE_URL + '/') || url === BASE_URL) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page.offsite = offsite;
  return { context, page };
}

/** Navigates to a path of the server and returns the response. */
export function go(page, path) {
  return page.goto(BASE_URL + path, { waitUntil: 'load' });
}

/** Saves a full-page PNG as artifacts/screenshots/NAME.png. */
export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Text of an element, with whitespace collapsed. */
export async function text(locator) {
  return ((await locator.textContent()) || '').replace(/\s+/g, ' ').trim();
}

/** The path (and query) of the page's URL. */
export function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/** Fails if the page scrolls sideways at its current viewport. */
export async function assertNoHorizontalOverflow(page, what) {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} (${Math.round(e.getBoundingClientRect().right)}px)`),
  }));
  assert.equal(m.innerWidth, page.viewportSize().width);
  assert.ok(m.scrollWidth <= m.innerWidth,
    `${what}: scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}; too wide: ${m.wide.join(', ')}`);
}

/**
 * Runs axe-core (the accessibility engine, from npm) on the page and fails
 * on any serious or critical violation, naming the rule and the elements.
 */
export async function assertAccessible(page, what) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${what}: accessibility violations`);
}

/** Calls the JSON API; fails the test on an error answer. */
export async function api(path, { method = 'GET', token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(BASE_URL + path, { method, headers, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** A valid value for each field of a merged form (as the API describes it). */
export function fill(fields) {
  const form = {};
  for (const f of fields) {
    switch (f.type) {
      case 'number': form[f.key] = Math.max(1, f.min ?? 1); break;
      case 'date': form[f.key] = '2026-10-01'; break;
      case 'phone': form[f.key] = '13812345678'; break;
      case 'region': form[f.key] = '330212'; break;
      case 'bool': form[f.key] = true; break;
      case 'choice': form[f.key] = f.options[0]; break;
      case 'resident_id': form[f.key] = null; break;
      case 'uscc': form[f.key] = null; break;
      default: form[f.key] = f.pattern ? '6222021234567890123' : '测试';
    }
  }
  return form;
}
