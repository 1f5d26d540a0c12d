// Shared setup of the browser tests: Debian's Chromium driven by
// playwright-core (which downloads no browser of its own), a fresh context
// per test, and full-page screenshots saved as artifacts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A small PDF that passes every check of an upload. */
export const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

/**
 * Chooses a scan (a small PDF of its own) for every file input `selector`
 * finds, as an applicant picking their documents would; returns the
 * materials' keys.
 */
export async function attachScans(page, selector = '#apply-form input[type=file]') {
  const dir = mkdtempSync(join(tmpdir(), 'yici-scans-'));
  const inputs = page.locator(selector);
  const keys = [];
  for (let i = 0; i < await inputs.count(); i += 1) {
    const input = inputs.nth(i);
    const key = (await input.getAttribute('name')).replace(/^file\./, '');
    const path = join(dir, `${key}.pdf`);
    writeFileSync(path, `${PDF}% ${key}\n`);
    await input.setInputFiles(path);
    keys.push(key);
  }
  return keys;
}

/** GB 11643: the 18th character of a resident ID, ISO 7064 MOD 11-2. */
export function residentId(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, ch, i) => s + Number(ch) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** GB 32100 USCC of a company (91) in `region` with organisation code `org8`. */
export function uscc(region, org8) {
  const value = (ch) => (/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55);
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
  const orgSum = [...org8].reduce((s, ch, i) => s + value(ch) * orgWeights[i], 0);
  const c9 = 11 - (orgSum % 11);
  const orgCheck = c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
  const first17 = `91${region}${org8}${orgCheck}`;
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, ch, i) => s + charset.indexOf(ch) * weights[i], 0);
  const c18 = (31 - (sum % 31)) % 31;
  return first17 + charset[c18];
}

/** 张三, the demo's citizen. */
export const ZHANG_SAN = residentId('33021219900307001');

/** The karaoke venue's merged form, by input name, as a person types it. */
export const KARAOKE_FORM = {
  'form.enterprise.name': '宁波欢唱娱乐有限公司',
  'form.enterprise.uscc': uscc('330212', 'MA2H7K3L'),
  'form.enterprise.legal_rep_name': '张三',
  'form.enterprise.legal_rep_resident_id': ZHANG_SAN,
  'form.applicant.phone': '13812345678',
  'form.enterprise.type': '有限责任公司',
  'form.enterprise.registered_capital': '100',
  'form.enterprise.business_scope': '歌舞娱乐服务；酒水饮料零售',
  'form.venue.address': '宁波市鄞州区首南街道天童南路588号3楼',
  'form.venue.region': '330212',
  'form.eia.project_name': '欢唱KTV新建项目',
  'form.eia.category': '环境影响报告表',
  'form.venue.area': '480',
  'form.fire.occupancy_limit': '160',
  'form.venue.rooms': '18',
  'form.karaoke.kind': '歌舞娱乐场所',
};

/** Submits a form by clicking `button` and waits for the page it leads to. */
export async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

/** A fresh context of `browser` signed in as `username` (password demo). */
export async function signIn(browser, t, username, options = {}) {
  const { page } = await open(browser, t, options);
  await go(page, '/login');
  await page.fill('#username', username);
  await page.fill('#password', 'demo');
  await submit(page, page.locator('#login-submit'));
  assert.notEqual(new URL(page.url()).pathname, '/login', `${username} signed in`);
  return page;
}

/** A session token of `username` (password demo), for the JSON API. */
export async function token(username) {
  return (await api('/api/v1/sessions', { method: 'POST', body: { username, password: 'demo' } })).token;
}

/** The page in English and in Chinese: axe-core and no horizontal overflow. */
export async function checkedInBothLanguages(page, what) {
  for (const lang of ['en', 'zh']) {
    const url = new URL(page.url());
    url.searchParams.set('lang', lang);
    await go(page, url.pathname + url.search);
    await assertAccessible(page, `${what} (${lang})`);
    await assertNoHorizontalOverflow(page, `${what} (${lang})`);
  }
}

/** A case of 张三's for `matter`, taken at the window by the clerk and accepted; its id. */
export async function acceptedAtWindow(matter) {
  const clerk = await token('clerk');
  const plan = await api(`/api/v1/matters/${matter}/plan`);
  const form = fill(plan.form.fields);
  for (const f of plan.form.fields) {
    if (form[f.key] === null) {
      if (f.required) form[f.key] = ZHANG_SAN;
      else delete form[f.key];
    }
  }
  const kase = await api('/api/v1/cases', {
    method: 'POST',
    token: clerk,
    body: {
      matter,
      channel: 'window',
      applicant: { kind: 'person', resident_id: ZHANG_SAN, name: '张三', region: '330212' },
      form,
    },
  });
  await api(`/api/v1/cases/${kase.id}/accept`, { method: 'POST', token: clerk, body: { version: kase.version } });
  return kase.id;
}
