// The public receipt check: an applicant's receipt, pasted into
// /ledger/verify, is verified step by step; a changed event is not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, go, shot, text, assertNoHorizontalOverflow, api, fill } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a receipt pasted into the public page verifies step by step, a changed event does not', async (t) => {
  const { token } = await api('/api/v1/sessions', { method: 'POST', body: { username: 'applicant', password: 'demo' } });
  const me = await api('/api/v1/me', { token });
  const plan = await api('/api/v1/one-things/ot-retirement/plan');
  const form = fill(plan.form.fields);
  // Identifier fields: the applicant's own, or left out when optional.
  for (const f of plan.form.fields) {
    if (form[f.key] === null) {
      if (f.required) form[f.key] = f.type === 'resident_id' ? me.subject : undefined;
      else delete form[f.key];
    }
  }
  const created = await api('/api/v1/cases', {
    method: 'POST', token, body: { one_thing: 'ot-retirement', channel: 'online', form },
  });
  const receipts = await api(`/api/v1/cases/${created.id}/receipts`, { token });
  assert.equal(receipts[0].kind, 'submitted');

  const { page } = await open(browser, t, { viewport: { width: 390, height: 844 } });
  for (const lang of ['en', 'zh']) {
    await go(page, `/ledger/verify?lang=${lang}`);
    await assertNoHorizontalOverflow(page, `/ledger/verify (${lang})`);
  }
  await page.fill('#receipt', JSON.stringify(receipts[0].receipt, null, 2));
  await page.fill('#event', JSON.stringify(receipts[0].event));
  await Promise.all([page.waitForNavigation(), page.click('form.verify button[type=submit]')]);
  assert.equal(await page.locator('#verdict').getAttribute('data-valid'), 'true');
  const steps = await page.locator('ol.trace li').count();
  assert.equal(steps, receipts[0].receipt.inclusion_proof.length + 3, 'leaf, each path hash, root, signature');
  // Hashes are 64 characters without a space: they wrap on a phone.
  await assertNoHorizontalOverflow(page, '/ledger/verify with a verified receipt');
  await shot(page, 'ledger-verify-valid');

  const forged = { ...receipts[0].event, actor: 'someone-else' };
  await page.fill('#event', JSON.stringify(forged));
  await Promise.all([page.waitForNavigation(), page.click('form.verify button[type=submit]')]);
  assert.equal(await page.locator('#verdict').getAttribute('data-valid'), 'false');
  assert.match(await text(page.locator('ol.trace')), /不一致/);
  await shot(page, 'ledger-verify-forged');
});
