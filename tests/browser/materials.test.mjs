// Materials travel online: 张三 applies for his retirement online, gives
// the bank card's scan on the case page (a plain HTML form, no script), and
// the reviewer opens it from the task page; the opening is in 张三's list.
// Both pages pass axe-core with no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launch, go, shot, api, fill, assertAccessible, submit, signIn, PDF,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


function signInAs(t, username) {
  return signIn(browser, t, username);
}

test('a scan given on the case page is opened by the reviewer, and the opening is shown to the applicant', async (t) => {
  const { token } = await api('/api/v1/sessions', { method: 'POST', body: { username: 'applicant', password: 'demo' } });
  const me = await api('/api/v1/me', { token });
  const plan = await api('/api/v1/one-things/ot-retirement/plan');
  const form = fill(plan.form.fields);
  for (const f of plan.form.fields) {
    if (form[f.key] === null) {
      if (f.required) form[f.key] = f.type === 'resident_id' ? me.subject : undefined;
      else delete form[f.key];
    }
  }
  const created = await api('/api/v1/cases', {
    method: 'POST', token, body: { one_thing: 'ot-retirement', channel: 'online', form },
  });
  const material = plan.materials.bring[0].key;

  const page = await signInAs(t, 'applicant');
  for (const lang of ['zh', 'en']) {
    await go(page, `/cases/${created.id}?lang=${lang}`);
    assert.ok(await page.locator(`#material-${material} input[type=file]`).isVisible());
    await assertAccessible(page, `case page with its materials (${lang})`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'yici-materials-'));
  const scan = join(dir, '银行卡.pdf');
  writeFileSync(scan, PDF);
  await page.setInputFiles(`#file-${material}`, scan);
  await submit(page, page.locator(`#material-${material} button[type=submit]`));
  assert.equal(new URL(page.url()).hash, '#materials');
  const link = page.locator(`#material-${material} a.file`);
  assert.equal(await link.count(), 1, 'the file is listed under its material');
  await shot(page, 'materials-given');

  // A file that is not what it says is refused beside its field.
  const fake = join(dir, 'fake.pdf');
  writeFileSync(fake, '<html>not a pdf</html>');
  await page.setInputFiles(`#file-${material}`, fake);
  await submit(page, page.locator(`#material-${material} button[type=submit]`));
  assert.ok(await page.locator(`#file-${material}-error`).isVisible());
  await assertAccessible(page, 'case page with a refused file');

  // The reviewer of the task that needs the material opens it from the task page.
  const task = created.tasks.find((x) => plan.materials.bring[0].matters.includes(x.matter));
  const department = task.department;
  const reviewer = await signInAs(t, `reviewer-${department}`);
  await go(reviewer, `/work/tasks/${task.id}`);
  const file = reviewer.locator(`tr[data-material="${material}"] a.file`);
  assert.equal(await file.count(), 1, 'the task page lists the file');
  await assertAccessible(reviewer, 'task page with its files');
  const href = await file.getAttribute('href');
  const opened = await reviewer.request.get(new URL(href, reviewer.url()).toString());
  assert.equal(opened.status(), 200);
  assert.equal(opened.headers()['content-type'], 'application/pdf');
  assert.equal(await opened.text(), PDF);

  const views = await api('/api/v1/me/document-views', { token });
  assert.equal(views.total, 1);
  assert.equal(views.items[0].viewer, `u-reviewer-${department}`);
});
