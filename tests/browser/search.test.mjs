// Finding a one-thing from the home page's search box and reading its plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, go, shot, text, pathOf } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Types a query into the header's search box and submits the form. */
async function search(page, query) {
  const box = page.locator('form.search input[name="q"]');
  await box.fill('');
  if (query) await box.pressSequentially(query);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/search'),
    page.locator('form.search button[type="submit"]').click(),
  ]);
}

/** Reads one integer cell. */
async function int(locator) {
  const s = await text(locator);
  assert.match(s, /^\d+$/, `expected a whole number, got ${JSON.stringify(s)}`);
  return Number(s);
}

test('searching 开饭店 from the home page leads to the restaurant plan', async (t) => {
  const { page } = await open(browser, t);
  const home = await go(page, '/');
  assert.equal(home.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
  assert.ok(await page.locator('ul.cards li.card').count() >= 7, 'the home page lists the demo one-things');
  await shot(page, 'home');

  await search(page, '开饭店');
  assert.equal(new URL(page.url()).searchParams.get('q'), '开饭店');
  assert.equal(await page.locator('form.search input[name="q"]').inputValue(), '开饭店',
    'the search box keeps the query');
  assert.equal(await page.locator('p.error').count(), 0);
  const results = page.locator('ol.results > li');
  assert.ok(await results.count() >= 1, 'there are results');
  const first = results.first();
  assert.equal(await text(first.locator('.badge')), '一件事');
  const link = first.locator('a');
  assert.equal(await text(link), '开饭店');
  assert.equal(await link.getAttribute('href'), '/one-things/ot-restaurant');
  await shot(page, 'search-kaifandian');

  await Promise.all([
    page.waitForURL((u) => u.pathname === '/one-things/ot-restaurant'),
    link.click(),
  ]);
  assert.equal(await text(page.locator('main h1')), '开饭店');
  assert.match(await page.title(), /^开饭店 · /);

  // Trips: zero or one, shown as the number and as its label.
  const tripsEl = page.locator('#plan-summary #plan-trips');
  const trips = Number(await tripsEl.getAttribute('data-trips'));
  assert.ok(Number.isInteger(trips) && trips >= 0 && trips <= 1, `trips ${trips} must be 0 or 1`);
  assert.equal(await int(tripsEl), trips);
  assert.equal(await text(page.locator('#plan-summary .trips')),
    trips === 0 ? '零跑动（全程网办）' : '最多跑一次');

  // Promised working days, and stages whose days add up to them.
  const days = await int(page.locator('#plan-days'));
  assert.ok(days > 0, 'promised working days are shown');
  const stages = page.locator('#stages .stage');
  const stageCount = await stages.count();
  assert.ok(stageCount >= 1, 'the plan has stages');
  let stageDays = 0;
  for (let i = 0; i < stageCount; i++) {
    const stage = stages.nth(i);
    assert.equal(await text(stage.locator('strong').first()), `第 ${i + 1} 阶段`);
    const m = (await text(stage.locator('> span.muted'))).match(/本阶段 (\d+) 个工作日/);
    assert.ok(m, 'each stage shows its working days');
    stageDays += Number(m[1]);
    const tasks = stage.locator('li');
    assert.ok(await tasks.count() >= 1, `stage ${i + 1} has tasks`);
    for (const href of await tasks.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.match(href, /^\/matters\/[0-9A-Z-]+$/);
    }
  }
  assert.equal(stageDays, days, 'the stages are sequential: their days add up to the promised days');

  // What to bring, and what is fetched instead.
  const bring = await page.locator('#bring > li').allTextContents();
  const fetched = await page.locator('#fetched > li').allTextContents();
  assert.ok(bring.length >= 1 && !bring.includes('无'), 'the bring list names materials');
  assert.ok(fetched.length >= 1 && !fetched.includes('无'), 'the fetched list names materials');
  for (const f of fetched) assert.match(f, /数据共享调取/, `fetched item says where from: ${f}`);
  const bringNames = new Set(bring.map((s) => s.trim()));
  for (const f of fetched) {
    assert.ok(!bringNames.has(f.split(' ')[0].trim()), `${f} is fetched, so not also to bring`);
  }

  // Before/after: separately needs more materials, trips and days.
  const rows = page.locator('#comparison tr');
  assert.equal(await rows.count(), 4);
  assert.deepEqual(
    (await rows.nth(0).locator('th').allTextContents()).map((s) => s.trim()),
    ['', '分别到各部门办理', '一件事一次办', '双向寄递后'],
  );
  const cells = async (i) => rows.nth(i).locator('td');
  const materials = await cells(1);
  assert.equal(await text(materials.nth(0)), '提交材料（份）');
  const beforeMaterials = await int(materials.nth(1));
  const afterMaterials = await int(materials.nth(2));
  assert.ok(beforeMaterials > afterMaterials,
    `separately (${beforeMaterials}) must need more materials than as one thing (${afterMaterials})`);
  assert.equal(afterMaterials, bring.length, 'the one-thing count is the bring list');
  const tripsRow = await cells(2);
  assert.ok(await int(tripsRow.nth(1)) > trips);
  assert.equal(await int(tripsRow.nth(2)), trips);
  assert.ok(await int(tripsRow.nth(3)) <= trips, 'two-way delivery never adds a trip');
  const daysRow = await cells(3);
  assert.ok(await int(daysRow.nth(1)) >= days);
  assert.equal(await int(daysRow.nth(2)), days);

  assert.deepEqual(page.offsite, [], 'the page loads nothing from elsewhere');
  await shot(page, 'one-thing-ot-restaurant');
});

test('searching 二手房过户 finds the second-hand home one-thing first', async (t) => {
  const { page } = await open(browser, t);
  await go(page, '/');
  await search(page, '二手房过户');
  const first = page.locator('ol.results > li').first();
  assert.equal(await text(first.locator('.badge')), '一件事');
  const link = first.locator('a');
  assert.equal(await link.getAttribute('href'), '/one-things/ot-second-hand-home');
  const name = await text(link);
  assert.match(name, /二手房/);
  await shot(page, 'search-ershoufang');

  await Promise.all([
    page.waitForURL((u) => u.pathname === '/one-things/ot-second-hand-home'),
    link.click(),
  ]);
  assert.equal(await text(page.locator('main h1')), name);
  const trips = Number(await page.locator('#plan-trips').getAttribute('data-trips'));
  assert.ok(trips <= 1, `second-hand home transfer takes at most one trip, not ${trips}`);
  await shot(page, 'one-thing-ot-second-hand-home');
});

test('an empty search shows the error beside the search field and no results', async (t) => {
  const { page } = await open(browser, t);
  await go(page, '/');
  for (const [query, name] of [['', 'search-empty'], ['   ', 'search-blank']]) {
    await search(page, query);
    assert.equal(pathOf(page).split('?')[0], '/search');
    const error = page.locator('form.search p.error[role="alert"]');
    assert.equal(await error.count(), 1, `query ${JSON.stringify(query)} gives one error`);
    assert.ok(await error.isVisible());
    assert.equal(await text(error), '请输入要办理的事项');
    assert.equal(await page.locator('ol.results').count(), 0, 'no results list');
    assert.equal(await page.locator('ol.results li, .badge').count(), 0);
    assert.equal(await page.locator('form.search input[name="q"]').inputValue(), '');
    const input = page.locator('form.search input[name="q"]');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal(await input.getAttribute('aria-describedby'), 'q-error');
    // The error is seen without scrolling, close below the search field.
    const box = await page.locator('form.search input[name="q"]').boundingBox();
    const err = await error.boundingBox();
    const vh = page.viewportSize().height;
    assert.ok(err.y + err.height <= vh, 'the error is in the first screen');
    assert.ok(err.y > box.y && err.y - (box.y + box.height) < 250,
      `the error (y=${err.y}) is just below the search field (bottom ${box.y + box.height})`);
    await shot(page, name);
  }
});
