// Appointments in the browser, on a 390 px phone: 张三 finds the window
// areas that take bookings from a matter's guide, picks a day and a time
// (plain HTML radio buttons, no script), books, sees the QR code of the
// check-in code, moves the booking and cancels it; the clerk's queue page
// gives a walk-in number and calls it. Every page passes axe-core in zh
// and en. Check-in by code needs the booked half hour to be near, so it is
// proven on a fixed clock by crates/server/tests/pages_bookings.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, go, shot, api, text, assertAccessible, assertNoHorizontalOverflow, signIn, submit,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };

async function checked(page, what) {
  for (const lang of ['zh', 'en']) {
    const url = new URL(page.url());
    url.searchParams.set('lang', lang);
    await go(page, url.pathname + url.search);
    await assertAccessible(page, `${what} (${lang})`);
    await assertNoHorizontalOverflow(page, `${what} (${lang})`);
  }
  const url = new URL(page.url());
  url.searchParams.set('lang', 'zh');
  await go(page, url.pathname + url.search);
}

test('a visit booked from the guide, its QR code shown, moved and cancelled; a number called at the window', async (t) => {
  const applicant = await signIn(browser, t, 'applicant', PHONE);
  const matters = await api('/api/v1/matters?per_page=1');
  const matter = matters.items[0].code;

  // 1. From the matter's guide to the window areas.
  await go(applicant, `/matters/${matter}`);
  await submit(applicant, applicant.locator('#book-link'));
  await checked(applicant, 'window areas that take bookings');
  await submit(applicant, applicant.locator('[data-window="w-commerce"] a'));

  // 2. A later day (today's times may be over), its first free time.
  const days = applicant.locator('#book-days a');
  assert.ok(await days.count() >= 2, 'working days to book');
  await submit(applicant, days.nth(1));
  const day = await text(applicant.locator('#book-days a[aria-current="date"]'));
  await checked(applicant, 'slots of a day');
  assert.equal(await applicant.locator('#matter').inputValue(), matter, 'the matter is carried from the guide');
  // Booking without a time: the message is beside the times.
  await submit(applicant, applicant.locator('#book-submit'));
  assert.equal(await applicant.locator('#slot-error').count(), 1);
  await assertAccessible(applicant, 'slots with an error');
  const first = applicant.locator('#slot-choices input[type=radio]:not([disabled])').first();
  const slot = await first.getAttribute('value');
  await first.check();
  await shot(applicant, 'booking-01-slots');
  await submit(applicant, applicant.locator('#book-submit'));

  // 3. The booking, its code and QR code.
  assert.match(new URL(applicant.url()).pathname, /^\/my\/bookings\/[0-9a-f-]{36}$/);
  assert.equal(await text(applicant.locator('#booking-when')), `${day} ${slot}`);
  const code = await text(applicant.locator('#booking-code'));
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{10}$/);
  assert.equal(await applicant.locator('#check-in-code svg').count(), 1, 'a QR code');
  await checked(applicant, 'a booking with its QR code');
  await shot(applicant, 'booking-02-code');

  // 4. Moved to another time of the same day, then cancelled.
  await submit(applicant, applicant.locator('#booking-move'));
  const other = applicant.locator('#slot-choices input[type=radio]:not([disabled])').nth(1);
  const later = await other.getAttribute('value');
  await other.check();
  await submit(applicant, applicant.locator('#book-submit'));
  assert.equal(await text(applicant.locator('#booking-when')), `${day} ${later}`);
  assert.equal(await applicant.locator('#booking-history li').count(), 2);
  await submit(applicant, applicant.locator('#booking-cancel'));
  assert.equal(await text(applicant.locator('#booking-state')), '已取消');
  await go(applicant, '/my/bookings');
  assert.equal(await applicant.locator('#my-bookings tbody tr').count() >= 1, true);
  await checked(applicant, 'my bookings');

  // 5. The clerk: a walk-in number, called to counter 12.
  const clerk = await signIn(browser, t, 'clerk', PHONE);
  await go(clerk, '/work/hall');
  await checked(clerk, 'the queue page');
  await submit(clerk, clerk.locator('#walk-in'));
  const issued = await text(clerk.locator('#issued strong'));
  assert.match(issued, /^A\d{3}$/);
  await clerk.fill('#counter', '12');
  await submit(clerk, clerk.locator('#call-next'));
  assert.ok(await clerk.locator(`#serving tr[data-ticket="${issued}"]`).count() === 1, `${issued} is being served`);
  await checked(clerk, 'the queue page, a number called');
  await shot(clerk, 'booking-03-queue');
});
