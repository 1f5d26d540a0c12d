// Zero trips with documents: 张三 applies online for the karaoke venue with
// its twelve documents in the one apply form (plain HTML, no script), and
// the system accepts the case at once; the market regulator's reviewer opens
// a PDF inline on the task page (only then is an opening logged) and asks
// for a supplement; 张三 gives the file online and supplements without a
// trip; a second venue's documents are given again from the first with
// one button each. Every page passes axe-core and fits a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, go, shot, api, assertAccessible, assertNoHorizontalOverflow, attachScans,
  signIn, submit, KARAOKE_FORM,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };

async function token(username) {
  return (await api('/api/v1/sessions', { method: 'POST', body: { username, password: 'demo' } })).token;
}

test('the karaoke venue applied for online with its documents, a PDF opened, a supplement given online', async (t) => {
  const applicant = await signIn(browser, t, 'applicant', PHONE);
  const applicantToken = await token('applicant');

  // 1. The apply page: the form and one file input per document to bring.
  await go(applicant, '/one-things/ot-karaoke/apply');
  for (const input of await applicant.locator('#apply-form [name^="form."]').all()) {
    const name = await input.getAttribute('name');
    if ((await input.inputValue()) !== '') continue; // pre-filled by the exchange
    assert.ok(name in KARAOKE_FORM, `a value for ${name}`);
    if ((await input.evaluate((e) => e.tagName)) === 'SELECT') {
      await input.selectOption(KARAOKE_FORM[name]);
    } else {
      await input.fill(KARAOKE_FORM[name]);
    }
  }
  const keys = await attachScans(applicant);
  assert.equal(keys.length, 12, `the karaoke venue's twelve documents: ${keys}`);
  await assertAccessible(applicant, 'apply page with its file inputs');
  await assertNoHorizontalOverflow(applicant, 'apply page on a phone');
  await applicant.evaluate(() => document.activeElement?.blur());
  await shot(applicant, 'online-01-apply-with-files');
  await submit(applicant, applicant.locator('#submit'));
  const id = new URL(applicant.url()).pathname.split('/')[2];
  assert.match(id, /^[0-9a-f-]{36}$/, `landed on ${applicant.url()}`);

  // 2. Complete, it was accepted at once, and no trip was counted.
  assert.equal(await applicant.locator('#case-state').getAttribute('data-state'), 'accepted');
  assert.equal(await applicant.locator('#awaiting-notice').count(), 0);
  let kase = await api(`/api/v1/cases/${id}`, { token: applicantToken });
  assert.equal(kase.trips, 0);
  const files = await api(`/api/v1/cases/${id}/files`, { token: applicantToken });
  assert.equal(files.length, 12);
  for (const lang of ['zh', 'en']) {
    await go(applicant, `/cases/${id}?lang=${lang}`);
    await assertAccessible(applicant, `case page with twelve files (${lang})`);
    await assertNoHorizontalOverflow(applicant, `case page (${lang})`);
  }
  await shot(applicant, 'online-02-accepted');

  // 3. The market regulator's reviewer opens the articles of association.
  const task = kase.tasks.find((x) => x.department === 'scjg');
  assert.equal(task.state, 'open');
  // 张三's earlier cases may have been opened: count from here.
  const earlier = (await api('/api/v1/me/document-views', { token: applicantToken })).total;
  const reviewer = await signIn(browser, t, 'reviewer-scjg');
  await go(reviewer, `/work/tasks/${task.id}`);
  const row = reviewer.locator('tr[data-material="articles_of_association"]');
  assert.equal(await row.locator('a.file').count(), 1, 'the task page lists the file');
  await assertAccessible(reviewer, 'task page with its files');
  let views = await api('/api/v1/me/document-views', { token: applicantToken });
  assert.equal(views.total, earlier, 'a listed file is not an opened one');
  const opened = reviewer.waitForResponse((r) => r.url().includes('/api/v1/files/'));
  await row.locator('details.preview summary').click();
  const response = await opened;
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-type'], 'application/pdf');
  views = await api('/api/v1/me/document-views', { token: applicantToken });
  assert.equal(views.total, earlier + 1, 'opening it is logged');
  assert.equal(views.items[0].viewer, 'u-reviewer-scjg');
  await shot(reviewer, 'online-03-reviewer-opens-pdf');

  // 4. The reviewer asks for a new articles of association.
  await reviewer.locator('input[name="materials"][value="articles_of_association"]').check();
  await reviewer.fill('#comment', '章程缺少股东签字');
  await submit(reviewer, reviewer.locator('#do-supplement'));
  kase = await api(`/api/v1/cases/${id}`, { token: applicantToken });
  assert.equal(kase.status, 'supplement_requested');

  // 5. 张三 supplements online: not without the file, then with it.
  await go(applicant, `/cases/${id}`);
  assert.ok(await applicant.locator('#supplement-notice').isVisible());
  await submit(applicant, applicant.locator('#do-supplement'));
  assert.ok(
    await applicant.locator('#file-articles_of_association-error').isVisible(),
    'the refusal is beside the material',
  );
  await assertAccessible(applicant, 'a supplement refused for want of its file');
  const [scan] = await attachScans(applicant, '#file-articles_of_association');
  assert.equal(scan, 'file'); // the case page's input is named "file"
  await submit(applicant, applicant.locator('#material-articles_of_association button[type=submit]'));
  await submit(applicant, applicant.locator('#do-supplement'));
  kase = await api(`/api/v1/cases/${id}`, { token: applicantToken });
  assert.equal(kase.status, 'in_review');
  assert.equal(kase.trips, 0, 'the supplement cost no trip');
  await assertNoHorizontalOverflow(applicant, 'case page after the supplement');
  await shot(applicant, 'online-04-supplemented');

  // 6. A second venue: the form alone, then each document given again
  // from the first case with one button, no scan.
  await go(applicant, '/one-things/ot-karaoke/apply');
  for (const input of await applicant.locator('#apply-form [name^="form."]').all()) {
    const name = await input.getAttribute('name');
    if ((await input.inputValue()) !== '') continue;
    if ((await input.evaluate((e) => e.tagName)) === 'SELECT') {
      await input.selectOption(KARAOKE_FORM[name]);
    } else {
      await input.fill(KARAOKE_FORM[name]);
    }
  }
  await submit(applicant, applicant.locator('#submit'));
  const second = new URL(applicant.url()).pathname.split('/')[2];
  assert.notEqual(second, id);
  assert.equal(await applicant.locator('#case-state').getAttribute('data-state'), 'pre_checked');
  assert.ok(await applicant.locator('#awaiting-notice').isVisible());
  await assertAccessible(applicant, 'a case page offering earlier files');
  await assertNoHorizontalOverflow(applicant, 'a case page offering earlier files');
  for (const key of keys) {
    const offer = applicant.locator(`#material-${key} button[id^="reuse-"]`).first();
    await submit(applicant, offer);
  }
  assert.equal(await applicant.locator('#case-state').getAttribute('data-state'), 'accepted');
  const reused = await api(`/api/v1/cases/${second}/files`, { token: applicantToken });
  assert.equal(reused.length, 12, 'every document given again');

  // 7. 张三's own list shows who opened his documents.
  await go(applicant, '/my/reads?lang=en');
  const rows = applicant.locator('#document-views tr.view');
  assert.equal(await rows.count(), Math.min(earlier + 1, 20));
  assert.match(await rows.first().textContent(), /u-reviewer-scjg/, 'newest first');
  await assertAccessible(applicant, 'who read my data and opened my documents');
  await assertNoHorizontalOverflow(applicant, '/my/reads');
});
