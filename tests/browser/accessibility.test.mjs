// Every page of the site, public and signed-in, in Chinese and English,
// checked by axe-core (from npm) in headless Chromium: no serious or
// critical violation.
import { test, before, after } from 'node:test';
import { launch, open, go, assertAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PUBLIC = [
  '/', '/search?q=开饭店', '/search?q=', '/one-things/ot-karaoke', '/matters/330200-SCJG-003',
  '/negative-list', '/departments', '/departments/scjg', '/login', '/verify', '/ledger/verify',
  '/one-things/ot-missing', '/one-things/ot-second-hand-home', '/ratings', '/book',
];

const SIGNED_IN = [
  ['applicant', ['/my/cases', '/my/certificates', '/one-things/ot-retirement/apply', '/my/messages', '/my/payments', '/my/bookings', '/my/ratings']],
  ['clerk', ['/work/window', '/work/payments', '/work/hall']],
  ['reviewer-scjg', ['/work/queue']],
  ['supervisor', ['/work/overview']],
];

function withLang(path, lang) {
  return path + (path.includes('?') ? '&' : '?') + 'lang=' + lang;
}

test('every public page passes axe-core in both languages', async (t) => {
  const { page } = await open(browser, t);
  for (const path of PUBLIC) {
    for (const lang of ['zh', 'en']) {
      await go(page, withLang(path, lang));
      await assertAccessible(page, `${path} (${lang})`);
    }
  }
});

test('every work page passes axe-core in both languages', async (t) => {
  for (const [username, paths] of SIGNED_IN) {
    const { page } = await open(browser, t);
    await go(page, '/login');
    await page.fill('#username', username);
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#login-submit')]);
    for (const path of paths) {
      for (const lang of ['zh', 'en']) {
        await go(page, withLang(path, lang));
        await assertAccessible(page, `${username}: ${path} (${lang})`);
      }
    }
  }
});
