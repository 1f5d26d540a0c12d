// The service guide's matter pages, the negative list and the departments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, go, shot, text } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SOURCES = /^(申请人提供|数据共享调取 \([a-z_]+\.[a-z_]+\)|部门自行产生)$/;

async function clickAndWait(page, locator, path) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === path),
    locator.click(),
  ]);
}

/** The rows of a table below its header row, as arrays of cell texts. */
async function bodyRows(table) {
  return table.locator('tr:has(td)').evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
}

test('a matter guide page lists its materials with their sources', async (t) => {
  const { page } = await open(browser, t);
  await go(page, '/one-things/ot-restaurant');
  // From the plan's stages to the food business licence's guide.
  const link = page.locator('#stages a', { hasText: '食品经营许可' });
  const href = await link.getAttribute('href');
  assert.match(href, /^\/matters\/330200-[A-Z]+-\d{3}$/);
  await clickAndWait(page, link, href);
  assert.equal(await text(page.locator('main h1')), '食品经营许可');
  assert.match(await text(page.locator('#trips')), /^(零跑动（全程网办）|最多跑一次)$/);

  const table = page.locator('table#materials');
  assert.deepEqual(
    (await table.locator('th').allTextContents()).map((s) => s.trim()),
    ['材料名称', '来源', '需验原件', '可容缺'],
  );
  const rows = await bodyRows(table);
  assert.ok(rows.length >= 3, `materials: ${rows.length}`);
  for (const [name, source, original, deficiency] of rows) {
    assert.ok(name.length > 0, 'each material has a name');
    assert.match(source, SOURCES, `source of ${name}`);
    assert.match(original, /^[是否]$/);
    assert.match(deficiency, /^[是否]$/);
  }
  const sources = new Set(rows.map((r) => r[1].split(' ')[0]));
  assert.ok(sources.has('申请人提供'), 'some material comes from the applicant');
  assert.ok(sources.has('数据共享调取'), 'some material is fetched from the exchange');
  // The guide names its department, which links to the department's page.
  const dept = page.locator('dl.guide a[href^="/departments/"]');
  assert.equal(await dept.count(), 1);
  await shot(page, 'matter-food-licence');

  const deptName = await text(dept);
  await clickAndWait(page, dept, await dept.getAttribute('href'));
  assert.equal(await text(page.locator('main h1')), deptName);
  const matters = await bodyRows(page.locator('table#matters'));
  assert.ok(matters.some((r) => r[0] === '食品经营许可'), 'the department lists the matter');
  await shot(page, 'department');
});

test('the negative list shows at least 3 matters with their reasons', async (t) => {
  const { page } = await open(browser, t);
  await go(page, '/');
  await clickAndWait(page, page.locator('header nav a', { hasText: '负面清单' }), '/negative-list');
  assert.equal(await text(page.locator('main h1')), '“最多跑一次”负面清单');
  const table = page.locator('table#negative-list');
  assert.deepEqual(
    (await table.locator('th').allTextContents()).map((s) => s.trim()),
    ['事项', '跑动次数', '原因'],
  );
  const rows = await bodyRows(table);
  assert.ok(rows.length >= 3, `negative list has ${rows.length} rows`);
  for (const [name, trips, reason] of rows) {
    assert.ok(name.length > 0);
    assert.match(trips, /^\d+$/);
    assert.ok(Number(trips) >= 2, `${name} is on the list because it takes ${trips} > 1 trips`);
    assert.ok(reason.length >= 10, `${name} has a reason: ${reason}`);
  }
  const links = table.locator('tr:has(td) td:first-child a');
  assert.equal(await links.count(), rows.length, 'each matter links to its guide');
  await shot(page, 'negative-list');

  // The matter's own guide gives the same trips and reason.
  const [name, trips, reason] = rows[0];
  await clickAndWait(page, links.first(), await links.first().getAttribute('href'));
  assert.equal(await text(page.locator('main h1')), name);
  assert.equal(await text(page.locator('#trips')), `需跑 ${trips} 次`);
  assert.ok((await text(page.locator('dl.guide'))).includes(reason), 'the guide shows the reason');
  await shot(page, 'matter-negative');
});

test('the departments page links every department to its matters', async (t) => {
  const { page } = await open(browser, t);
  await go(page, '/departments');
  const rows = await bodyRows(page.locator('table#departments'));
  assert.ok(rows.length >= 5, `departments: ${rows.length}`);
  for (const [name, count] of rows) {
    assert.ok(name.length > 0);
    assert.match(count, /^\d+ 办理事项$/);
  }
  const total = rows.reduce((n, r) => n + Number(r[1].split(' ')[0]), 0);
  await go(page, '/');
  const stats = await text(page.locator('p.stats'));
  assert.ok(stats.includes(`共有 ${total} 个事项`), `the departments' ${total} matters are the catalog's: ${stats}`);
});
