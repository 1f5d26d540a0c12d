// Switching between Chinese and English, and the 404 page in either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, go, shot, text, BASE_URL } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const lang = (page) => page.locator('html').getAttribute('lang');
const h1 = (page) => text(page.locator('main h1'));
const CJK = /[\u4e00-\u9fff]/;

async function langCookie(context) {
  return (await context.cookies(BASE_URL)).find((c) => c.name === 'lang')?.value;
}

async function clickAndWait(page, locator, path) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === path),
    locator.click(),
  ]);
}

test('the language switch turns pages English, is remembered, and switches back', async (t) => {
  const { context, page } = await open(browser, t);
  await go(page, '/');
  assert.equal(await lang(page), 'zh');
  assert.equal(await h1(page), '一件事 · 一次办');
  const zhSwitch = page.locator('#lang-switch');
  assert.equal(await text(zhSwitch), 'English');
  assert.equal(await zhSwitch.getAttribute('hreflang'), 'en');
  assert.equal(await langCookie(context), undefined, 'no cookie before a choice');

  await clickAndWait(page, zhSwitch, '/');
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
  assert.equal(await lang(page), 'en');
  assert.equal(await h1(page), 'One thing, done at once');
  assert.deepEqual(
    (await page.locator('header nav a').allTextContents()).map((s) => s.trim()),
    ['Home', 'Departments', 'Negative list', 'Ratings', 'API', '中文'],
  );
  assert.equal(await page.locator('form.search button').textContent(), 'Search');
  // The one-thing cards show the catalog's English names.
  const cardNames = await page.locator('ul.cards li.card strong').allTextContents();
  assert.ok(cardNames.length >= 7);
  for (const n of cardNames) assert.doesNotMatch(n, CJK, `card name ${n} is English`);
  assert.equal(await langCookie(context), 'en', 'the choice is kept in a cookie');
  await shot(page, 'home-en');

  // A plain link (no ?lang=) keeps English, through the cookie.
  const navLink = page.locator('header nav a[href="/negative-list"]');
  await clickAndWait(page, navLink, '/negative-list');
  assert.equal(new URL(page.url()).search, '', 'the link itself carries no language');
  assert.equal(await lang(page), 'en');
  assert.equal(await h1(page), 'Negative list of "at most one trip"');
  assert.deepEqual(
    (await page.locator('#negative-list th').allTextContents()).map((s) => s.trim()),
    ['Matter', 'Trips', 'Reason'],
  );
  await shot(page, 'negative-list-en');

  // Typed-in addresses too: the plan page in English.
  await go(page, '/one-things/ot-restaurant');
  assert.equal(await lang(page), 'en');
  assert.doesNotMatch(await h1(page), CJK);
  const headings = (await page.locator('main h2').allTextContents()).map((s) => s.trim());
  for (const h of ['Before and after', 'Materials you provide', 'Parallel review stages']) {
    assert.ok(headings.includes(h), `heading "${h}" in ${JSON.stringify(headings)}`);
  }
  assert.equal(await text(page.locator('#plan-summary .trips')), 'Zero trips (fully online)');
  await shot(page, 'one-thing-ot-restaurant-en');

  // And back to Chinese, which is remembered in turn.
  const enSwitch = page.locator('#lang-switch');
  assert.equal(await text(enSwitch), '中文');
  await clickAndWait(page, enSwitch, '/one-things/ot-restaurant');
  assert.equal(await lang(page), 'zh');
  assert.equal(await h1(page), '开饭店');
  assert.ok((await page.locator('main h2').allTextContents()).map((s) => s.trim()).includes('改革前后对比'));
  assert.equal(await langCookie(context), 'zh');
  await clickAndWait(page, page.locator('header nav a[href="/departments"]'), '/departments');
  assert.equal(await lang(page), 'zh');
  assert.equal(await h1(page), '部门');
  await shot(page, 'departments');
});

test('an English browser gets English pages without choosing', async (t) => {
  const { page } = await open(browser, t, { locale: 'en-US' });
  await go(page, '/');
  assert.equal(await lang(page), 'en');
  assert.equal(await h1(page), 'One thing, done at once');
});

test('an unknown one-thing is a 404 page in the chosen language', async (t) => {
  const { page } = await open(browser, t);
  // Chinese first (the default).
  let response = await go(page, '/one-things/ot-no-such-thing');
  assert.equal(response.status(), 404);
  assert.match(response.headers()['content-type'], /^text\/html/);
  assert.equal(await lang(page), 'zh');
  assert.equal(await h1(page), '没有找到');
  assert.equal(await text(page.locator('main p')), '您要找的页面不存在。');
  assert.match(await page.title(), /^没有找到 · /);
  await shot(page, 'not-found-zh');

  // Choose English on the 404 page itself: still 404, now in English.
  const switchLink = page.locator('#lang-switch');
  const [nav] = await Promise.all([
    page.waitForNavigation(),
    switchLink.click(),
  ]);
  assert.equal(nav.status(), 404);
  assert.equal(await lang(page), 'en');
  assert.equal(await h1(page), 'Not found');

  // The choice holds for the next unknown address.
  response = await go(page, '/one-things/ot-nothing-here-either');
  assert.equal(response.status(), 404);
  assert.equal(await lang(page), 'en');
  assert.equal(await h1(page), 'Not found');
  assert.equal(await text(page.locator('main p')), 'The page you asked for does not exist.');
  assert.match(await page.title(), /^Not found · yici/);
  // A proper page: the site's header, navigation, search box and footer.
  assert.equal(await page.locator('header a.brand').getAttribute('href'), '/');
  assert.equal(await page.locator('header nav a').count(), 6);
  assert.ok(await page.locator('form.search input[name="q"]').isVisible());
  assert.equal(await text(page.locator('footer')),
    'yici, an open-source government service platform · data from the catalog');
  const css = await page.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(css, 'rgba(0, 0, 0, 0)', 'the stylesheet is applied');
  await shot(page, 'not-found-en');

  // Its home link leads back to a working page.
  await clickAndWait(page, page.locator('header a.brand'), '/');
  assert.equal(await lang(page), 'en');
  assert.ok(await page.locator('ul.cards li.card').count() >= 7);
});
