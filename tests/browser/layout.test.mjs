// Phone-size screens, and the pages with JavaScript turned off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, go, shot, text, assertNoHorizontalOverflow } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };

/** Clicks a link or button and waits for the page at `path`. */
async function clickAndWait(page, locator, path) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === path),
    locator.click(),
  ]);
}

test('the home page fits a phone screen (390×844) without sideways scrolling', async (t) => {
  const { page } = await open(browser, t, PHONE);
  for (const lang of ['zh', 'en']) {
    await go(page, `/?lang=${lang}`);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await assertNoHorizontalOverflow(page, `home (${lang})`);
    // The cards stack in one column inside the screen.
    const boxes = await page.locator('ul.cards li.card').evaluateAll((cs) =>
      cs.map((c) => { const r = c.getBoundingClientRect(); return { x: r.x, right: r.right }; }));
    assert.ok(boxes.length >= 7);
    for (const b of boxes) assert.ok(b.x >= 0 && b.right <= 390, `card at ${b.x}..${b.right}`);
    assert.equal(new Set(boxes.map((b) => Math.round(b.x))).size, 1, 'one column of cards');
    // The search box and its button are on screen and usable.
    for (const sel of ['form.search input[name="q"]', 'form.search button']) {
      const r = await page.locator(sel).boundingBox();
      assert.ok(r && r.x >= 0 && r.x + r.width <= 390 && r.width >= 40, `${sel} on screen: ${JSON.stringify(r)}`);
    }
    await shot(page, `home-phone-${lang}`);
  }
});

test('the other Chinese pages and the English ones without wide tables fit a phone screen', async (t) => {
  const { page } = await open(browser, t, PHONE);
  const pages = [
    ['/search?q=开饭店', 'search'],
    ['/search?q=', 'search-empty'],
    ['/one-things/ot-restaurant', 'one-thing'],
    ['/one-things/ot-karaoke', 'one-thing-karaoke'],
    ['/matters/330200-SCJG-003', 'matter'],
    ['/negative-list', 'negative-list'],
    ['/departments', 'departments'],
    ['/one-things/ot-missing', 'not-found'],
  ];
  for (const [path, name] of pages) {
    const response = await go(page, path + (path.includes('?') ? '&' : '?') + 'lang=zh');
    assert.ok([200, 404].includes(response.status()));
    await assertNoHorizontalOverflow(page, `${path} (zh)`);
    if (name === 'one-thing' || name === 'matter') await shot(page, `${name}-phone-zh`);
  }
  for (const [path] of pages.filter(([, n]) => n !== 'matter')) {
    await go(page, path + (path.includes('?') ? '&' : '?') + 'lang=en');
    await assertNoHorizontalOverflow(page, `${path} (en)`);
  }
});

test('English matter guides fit a phone screen', async (t) => {
  const { page } = await open(browser, t, PHONE);
  for (const code of ['330200-SCJG-003', '330200-GAJ-004']) {
    await go(page, `/matters/${code}?lang=en`);
    await shot(page, `matter-${code}-phone-en`);
    await assertNoHorizontalOverflow(page, `/matters/${code} (en)`);
  }
});

test('with JavaScript disabled, search, results, plan and language switch all work', async (t) => {
  const { page } = await open(browser, t, { javaScriptEnabled: false });
  // JavaScript really is off in this context.
  await page.setContent('<p id="x">static</p><script>document.getElementById("x").textContent = "scripted"</script>');
  assert.equal(await page.locator('#x').textContent(), 'static');

  await go(page, '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
  const box = page.locator('form.search input[name="q"]');
  await box.click();
  await box.pressSequentially('开饭店');
  await clickAndWait(page, page.locator('form.search button[type="submit"]'), '/search');
  assert.equal(new URL(page.url()).searchParams.get('q'), '开饭店');
  const first = page.locator('ol.results > li').first().locator('a');
  assert.equal(await text(first), '开饭店');
  await shot(page, 'nojs-search');

  await clickAndWait(page, first, '/one-things/ot-restaurant');
  assert.equal(await text(page.locator('main h1')), '开饭店');
  const trips = Number(await page.locator('#plan-trips').getAttribute('data-trips'));
  assert.ok(trips <= 1);
  assert.ok(Number(await text(page.locator('#plan-days'))) > 0);
  assert.ok(await page.locator('#bring > li').count() >= 1);
  assert.ok(await page.locator('#stages .stage').count() >= 1);
  assert.ok(await page.locator('#comparison').isVisible());
  await shot(page, 'nojs-one-thing');

  // Submitting an empty query: the server answers with the error.
  await box.fill('');
  await box.press('Enter');
  await page.waitForURL((u) => u.pathname === '/search');
  assert.equal(await text(page.locator('p.error[role="alert"]')), '请输入要办理的事项');
  assert.equal(await page.locator('ol.results').count(), 0);

  // The language switch is a plain link plus a cookie.
  await clickAndWait(page, page.locator('#lang-switch'), '/search');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await text(page.locator('p.error[role="alert"]')), 'Please enter what you want to do');
  await clickAndWait(page, page.locator('header nav a[href="/"]'), '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await text(page.locator('main h1')), 'One thing, done at once');
  await shot(page, 'nojs-home-en');
});
