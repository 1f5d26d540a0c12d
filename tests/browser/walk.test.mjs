// The online service hall end to end, on a 390 px phone (issue 18 §6):
// 张三 books a visit for a home transfer registration; he comes once, and
// the window takes his application (his one trip); he pays the ¥80 fee
// online at the sandbox provider; he keeps an address in his address
// book and has the result sent there; the window sends it, and the
// sandbox carrier's signed callbacks move the parcel to delivered, which
// delivers the case; he rates it 非常不满意; the land bureau's reviewer
// contacts him and replies; he rates the rectification once more (追评).
// Every page passes axe-core in zh and en. Checking in by the booking's
// code needs the booked half hour to be near, so the visit here is a
// walk-in number; the check-in itself is proven on a fixed clock by
// crates/server/tests/pages_bookings.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, go, shot, api, text, assertAccessible, signIn, submit, token, acceptedAtWindow,
  checkedInBothLanguages as checked,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const MATTER = '330200-ZRZY-001';

async function until(page, path, locator, value, what) {
  let seen = '';
  for (let i = 0; i < 120 && seen !== value; i += 1) {
    await go(page, path);
    seen = (await page.locator(locator).first().getAttribute('data-state')) || '';
    if (seen !== value) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(seen, value, what);
}

test('book, come once, pay online, result by express, rate badly, reply, rate again', async (t) => {
  // 1. He books a visit for the matter.
  const zhang = await signIn(browser, t, 'applicant', PHONE);
  await go(zhang, `/matters/${MATTER}`);
  await submit(zhang, zhang.locator('#book-link'));
  await submit(zhang, zhang.locator('#book-windows a').first());
  await submit(zhang, zhang.locator('#book-days a').nth(1));
  await zhang.locator('#slot-choices input[type=radio]:not([disabled])').first().check();
  await submit(zhang, zhang.locator('#book-submit'));
  assert.match(await text(zhang.locator('#booking-code')), /^[0-9A-HJKMNP-TV-Z]{10}$/);

  // 2. He comes once: a number at the hall, the window takes the application.
  const clerkPage = await signIn(browser, t, 'clerk', PHONE);
  await go(clerkPage, '/work/hall');
  await submit(clerkPage, clerkPage.locator('#walk-in'));
  await clerkPage.fill('#counter', '3');
  await submit(clerkPage, clerkPage.locator('#call-next'));
  const id = await acceptedAtWindow(MATTER);

  // 3. He pays the fee online.
  await go(zhang, `/cases/${id}`);
  assert.match(await text(zhang.locator('#fees-owed')), /¥80\.00/);
  await submit(zhang, zhang.locator('#pay-online'));
  await submit(zhang, zhang.locator('#sandbox-confirm'));
  await until(zhang, new URL(zhang.url()).pathname, '#payment-state', 'paid', 'the payment notice reached yici');

  // 4. His address book, and the result to go there.
  const address = async (phone) => {
    await go(zhang, '/my/addresses?lang=zh');
    await zhang.fill('#address-recipient', '张三');
    await zhang.fill('#address-phone', phone);
    await zhang.fill('#address-region', '浙江省宁波市海曙区');
    await zhang.fill('#address-line', '中山西路 1 号 101 室');
    await submit(zhang, zhang.locator('#address-save'));
  };
  await address('138');
  assert.equal(await zhang.locator('#address-phone-error').count(), 1, 'a wrong phone is named beside its field');
  assert.equal(await zhang.locator('#address-line').inputValue(), '中山西路 1 号 101 室', 'what he typed stays');
  await assertAccessible(zhang, 'the address book with an error');
  await address('13800000001');
  assert.match(await text(zhang.locator('#address-book')), /中山西路 1 号 101 室/);
  await checked(zhang, 'the address book');
  await shot(zhang, 'walk-01-addresses');
  await go(zhang, `/cases/${id}`);
  await zhang.selectOption('#delivery-address', { index: 1 });
  await submit(zhang, zhang.locator('#choose-delivery-button'));
  assert.match(await text(zhang.locator('#delivery-choice')), /中山西路 1 号 101 室/);
  await checked(zhang, 'the case page with two-way delivery');

  // 5. Approved and issued; the window sends the result from the case page.
  const reviewer = await token('reviewer-zrzy');
  for (const task of (await api('/api/v1/tasks?state=open', { token: reviewer })).items.filter((x) => x.case_id === id)) {
    await api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', token: reviewer, body: { outcome: 'approve' } });
  }
  const clerk = await token('clerk');
  const c = await api(`/api/v1/cases/${id}`, { token: clerk });
  await api(`/api/v1/cases/${id}/issue`, { method: 'POST', token: clerk, body: { version: c.version } });
  await go(clerkPage, `/cases/${id}`);
  await submit(clerkPage, clerkPage.locator('#ship-result-button'));
  assert.equal(await clerkPage.locator('#parcel-list li[data-state="created"]').count(), 1);
  await go(clerkPage, '/work/parcels');
  await checked(clerkPage, "the city's parcels");

  // 6. The carrier walks it to his door; the case is delivered.
  await until(zhang, `/cases/${id}`, '#parcel-list > li', 'delivered', 'the parcel is delivered');
  assert.equal(await zhang.locator('#case-state').getAttribute('data-state'), 'delivered');
  assert.equal(await zhang.locator('#parcel-list .track li').count(), 4, 'created, picked up, in transit, delivered');
  await checked(zhang, 'the case page, its result delivered by express');
  await shot(zhang, 'walk-02-delivered');

  // 7. He rates it badly.
  await go(zhang, `/cases/${id}?lang=zh`);
  await zhang.check('#score-1');
  await zhang.fill('#comment', '现场等候太久');
  await submit(zhang, zhang.locator('#do-rate'));
  await go(zhang, '/my/ratings');
  const mine = zhang.locator('section[data-rating]').first();
  const ratingId = await mine.getAttribute('data-rating');

  // 8. The land bureau contacts him and replies.
  const bureau = await signIn(browser, t, 'reviewer-zrzy', PHONE);
  await go(bureau, '/work/follow-ups');
  const card = bureau.locator(`section[data-rating="${ratingId}"]`);
  assert.equal(await card.count(), 1, "the follow-up is the land bureau's");
  await card.locator('textarea').fill('已电话回访并致歉');
  await submit(bureau, card.locator('form button'));
  await card.locator('textarea').fill('已增开不动产登记预约窗口');
  await submit(bureau, card.locator('form button'));
  assert.match(await text(card), /增开/);

  // 9. He rates the rectification once more.
  await go(zhang, '/my/ratings');
  const again = zhang.locator(`section[data-rating="${ratingId}"]`);
  assert.match(await text(again), /增开/);
  await again.locator('input[name="score"][value="5"]').check();
  await submit(zhang, again.locator('form button'));
  assert.equal(await again.locator('form').count(), 0, 'a second rating is given once');
  await checked(zhang, 'my ratings after the second rating');

  // One trip in all: the visit to the window.
  const done = await api(`/api/v1/cases/${id}`, { token: clerk });
  assert.equal(done.trips, 1, 'he came once');
  assert.equal(done.delivery.mode, 'express');
});
