// Paying online in the browser, on a 390 px phone: a mortgage registration
// of 张三's (a ¥80 fee due before the result is issued) shows its fee on
// the case page; he pays online, confirms at the sandbox provider's
// checkout, comes back to his payment page, which turns to paid once the
// provider's signed notice reaches yici (the server's own worker delivers
// it over HTTP); his receipt verifies; the clerk sees the payment; the
// result can now be issued. Every page passes axe-core in zh and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, go, shot, api, text, signIn, submit, token, acceptedAtWindow,
  checkedInBothLanguages as checked,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const MATTER = '330200-ZRZY-002';

test('a fee paid online through the sandbox provider, its receipt verified, the result issued', async (t) => {
  const id = await acceptedAtWindow(MATTER);

  // 1. The case page shows the fee and the pay button.
  const zhang = await signIn(browser, t, 'applicant', PHONE);
  await go(zhang, `/cases/${id}`);
  assert.match(await text(zhang.locator('#fee-lines')), /不动产登记费/);
  assert.match(await text(zhang.locator('#fees-owed')), /¥80\.00/);
  await checked(zhang, 'case page with its fee');
  await shot(zhang, 'payment-01-fee');

  // 2. To the sandbox provider's checkout, and confirm.
  await go(zhang, `/cases/${id}?lang=zh`);
  await submit(zhang, zhang.locator('#pay-online'));
  assert.match(new URL(zhang.url()).pathname, /^\/sandbox\/pay\//);
  assert.match(await text(zhang.locator('#sandbox-amount')), /¥80\.00/);
  await checked(zhang, 'the sandbox checkout');
  await shot(zhang, 'payment-02-checkout');
  await submit(zhang, zhang.locator('#sandbox-confirm'));
  const back = new URL(zhang.url()).pathname;
  assert.match(back, /^\/my\/payments\/pay[0-9a-f]{32}$/);

  // 3. The provider's notice arrives within a few seconds.
  let state = '';
  for (let i = 0; i < 60 && state !== 'paid'; i += 1) {
    await go(zhang, back);
    state = await zhang.locator('#payment-state').getAttribute('data-state');
    if (state !== 'paid') await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(state, 'paid', 'the notice reached yici');
  assert.equal(await zhang.locator('#payment-receipt').count(), 1);
  await checked(zhang, 'a paid payment with its receipt');
  await shot(zhang, 'payment-03-paid');
  await go(zhang, `${back}/receipt`);
  await checked(zhang, 'the receipt to print');
  await go(zhang, `${back}?lang=zh`);
  await submit(zhang, zhang.locator('#receipt-verify'));
  assert.match(await text(zhang.locator('main')), /有效|valid/i);
  await go(zhang, '/my/payments');
  assert.match(await text(zhang.locator('#payments')), /已支付/);
  await checked(zhang, 'my payments');

  // 4. His messages: the fee due, and the payment's case accepted.
  await go(zhang, '/my/messages');
  assert.match(await text(zhang.locator('#messages')), /待缴费/);
  await checked(zhang, 'my messages');

  // 5. The clerk sees the payment; the result can be issued.
  const clerkPage = await signIn(browser, t, 'clerk', PHONE);
  await go(clerkPage, '/work/payments');
  assert.match(await text(clerkPage.locator('#payments')), /不动产登记费/);
  await checked(clerkPage, "the city's payments");
  const reviewer = await token('reviewer-zrzy');
  for (const task of (await api('/api/v1/tasks?state=open', { token: reviewer })).items.filter((x) => x.case_id === id)) {
    await api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', token: reviewer, body: { outcome: 'approve' } });
  }
  const clerk = await token('clerk');
  const c = await api(`/api/v1/cases/${id}`, { token: clerk });
  const issued = await api(`/api/v1/cases/${id}/issue`, { method: 'POST', token: clerk, body: { version: c.version } });
  assert.equal(issued.status, 'result_issued');
});

test('a fee paid at the counter, recorded by the clerk from the case page', async (t) => {
  const id = await acceptedAtWindow(MATTER);
  const clerkPage = await signIn(browser, t, 'clerk', PHONE);
  await go(clerkPage, `/cases/${id}`);
  assert.match(await text(clerkPage.locator('#counter-payment')), /窗口收费/);
  await checked(clerkPage, 'case page with the counter form');
  await go(clerkPage, `/cases/${id}?lang=zh`);
  await clerkPage.selectOption('#counter-method', 'card');
  await clerkPage.fill('#counter-reference', 'POS-0001');
  await shot(clerkPage, 'payment-04-counter');
  await submit(clerkPage, clerkPage.locator('#counter-record'));
  assert.match(await text(clerkPage.locator('#case-payments')), /已支付/);
  assert.equal(await clerkPage.locator('#counter-payment').count(), 0);
  assert.match(await text(clerkPage.locator('#fees-owed')), /¥0\.00/);
  await submit(clerkPage, clerkPage.locator('#case-payments a'));
  assert.equal(await clerkPage.locator('#payment-state').getAttribute('data-state'), 'paid');
  assert.equal(await clerkPage.locator('#payment-receipt').count(), 1);
  await checked(clerkPage, 'a counter payment with its receipt');
});
