// One karaoke-venue case (ot-karaoke) walked through the case-handling pages:
// submitted at the window for 张三, accepted, approved by six departments in
// stage order, issued, picked up at the window, then seen and rated by 张三.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, go, shot, text, pathOf, submit, ZHANG_SAN, KARAOKE_FORM,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const DEPARTMENTS = ['scjg', 'sthj', 'xf', 'wjw', 'wglj', 'gaj'];

/** A fresh browser context signed in as `username` (password demo). */
async function signIn(t, username, options = {}) {
  const { page } = await open(browser, t, options);
  await go(page, '/login');
  await page.fill('#username', username);
  await page.fill('#password', 'demo');
  await submit(page, page.locator('#login-submit'));
  assert.notEqual(new URL(page.url()).pathname, '/login', `${username} signed in`);
  assert.ok(await page.locator('#logout').isVisible(), 'the header offers sign-out');
  return page;
}

/**
 * A full-page screenshot. The focused field is blurred first: after a
 * full-page capture with a <select> focused, Chromium ignores the next click
 * on the form's submit button.
 */
async function snap(page, name) {
  await page.evaluate(() => document.activeElement?.blur());
  return shot(page, name);
}

/** Fails if the page scrolls sideways. */
async function assertFits(page, what) {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(m.scrollWidth <= m.innerWidth, `${what}: ${m.scrollWidth} > ${m.innerWidth}`);
}

test('a karaoke venue: window submission, six departments, pickup, rating', async (t) => {
  // The clerk takes the application at the window.
  const clerk = await signIn(t, 'clerk');
  assert.equal(pathOf(clerk), '/work/window');
  assert.match(await text(clerk.locator('#signed-in-as')), /王芳/);
  await snap(clerk, 'case-01-window-workbench');

  await clerk.selectOption('#target', 'ot-karaoke');
  await clerk.check('#kind-person');
  await clerk.fill('#applicant-id', ZHANG_SAN);
  await clerk.fill('#applicant-name', '张三');
  await clerk.fill('#applicant-region', '330212');
  await submit(clerk, clerk.locator('#step1-next'));
  assert.equal(new URL(clerk.url()).pathname, '/work/window/new');

  const names = await clerk.locator('#step2 [name^="form."]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('name')));
  assert.deepEqual([...names].sort(), Object.keys(KARAOKE_FORM).sort(), 'every field of the merged form');
  for (const name of names) {
    const field = clerk.locator(`#step2 [name="${name}"]`);
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') {
      await field.selectOption(KARAOKE_FORM[name]);
    } else {
      await field.fill(KARAOKE_FORM[name]);
    }
  }
  await snap(clerk, 'case-02-window-form-filled');
  await submit(clerk, clerk.locator('#submit'));
  const casePath = new URL(clerk.url()).pathname;
  assert.match(casePath, /^\/cases\/[0-9a-f-]{36}$/);
  const caseId = casePath.split('/')[2];
  assert.equal(await clerk.locator('#case-state').getAttribute('data-state'), 'submitted');
  assert.equal(await clerk.locator('#progress li.task').count(), 6);
  await snap(clerk, 'case-03-submitted');

  await submit(clerk, clerk.locator('#do-accept'));
  assert.equal(await clerk.locator('#case-state').getAttribute('data-state'), 'accepted');
  await snap(clerk, 'case-04-accepted');

  // Each department approves its task, stage after stage.
  for (const [i, d] of DEPARTMENTS.entries()) {
    const reviewer = await signIn(t, `reviewer-${d}`);
    assert.equal(pathOf(reviewer), '/work/queue');
    const row = reviewer.locator('#queue-open tr.task-row', { hasText: `#${caseId.slice(-8)}` });
    assert.equal(await row.count(), 1, `${d} sees the case's task`);
    if (i === 0) await snap(reviewer, 'case-05-queue-scjg');
    await submit(reviewer, row.locator('a'));
    assert.equal(await reviewer.locator('#task-state').getAttribute('data-state'), 'open');
    assert.ok((await reviewer.locator('#form-values tr').count()) >= 16, 'the form values are shown');
    if (i === 0) await snap(reviewer, 'case-06-task-scjg');
    await reviewer.fill('#comment', '材料齐全，符合条件');
    await submit(reviewer, reviewer.locator('#do-approve'));
    assert.equal(pathOf(reviewer), '/work/queue');
    assert.equal(
      await reviewer.locator('#queue-open tr.task-row', { hasText: `#${caseId.slice(-8)}` }).count(), 0);
    await reviewer.context().close();
  }

  // The clerk issues the result from the workbench, then records the pickup.
  await go(clerk, '/work/window');
  const toIssue = clerk.locator(`#to-issue tr[data-case="${caseId}"]`);
  assert.equal(await toIssue.count(), 1, 'the decided case waits to be issued');
  await snap(clerk, 'case-07-window-to-issue');
  await submit(clerk, toIssue.locator('button.quick-issue'));
  assert.equal(pathOf(clerk), '/work/window');
  assert.equal(await clerk.locator(`#to-deliver tr[data-case="${caseId}"]`).count(), 1);
  await go(clerk, casePath);
  assert.equal(await clerk.locator('#case-state').getAttribute('data-state'), 'result_issued');
  await clerk.check('#mode-window');
  await submit(clerk, clerk.locator('#do-deliver'));
  assert.equal(await clerk.locator('#case-state').getAttribute('data-state'), 'delivered');
  await snap(clerk, 'case-08-delivered-clerk');

  // 张三 sees the whole story on a phone, and rates it.
  const applicant = await signIn(t, 'applicant', PHONE);
  assert.equal(pathOf(applicant), '/my/cases');
  const mine = applicant.locator(`#my-cases tr[data-case="${caseId}"]`);
  assert.equal(await mine.count(), 1);
  assert.match(await text(mine), /已送达/);
  await assertFits(applicant, 'my cases');
  await snap(applicant, 'case-09-my-cases-phone');
  await submit(applicant, mine.locator('a'));
  assert.equal(await applicant.locator('#case-state').getAttribute('data-state'), 'delivered');
  assert.equal(await applicant.locator('#progress li.task[data-state="approved"]').count(), 6);
  const trips = applicant.locator('#case-trips');
  assert.equal(await trips.getAttribute('data-planned'), '1');
  assert.equal(await trips.getAttribute('data-actual'), '2');
  const history = await text(applicant.locator('#history'));
  assert.match(history, /窗口递交/);
  assert.match(history, /窗口领取/);
  assert.match(await text(applicant.locator('#case-delivery')), /窗口领取/);
  await assertFits(applicant, 'case page');
  await snap(applicant, 'case-10-delivered-applicant-phone');

  await applicant.check('#score-5');
  await applicant.fill('#comment', '一次办成，很方便');
  await submit(applicant, applicant.locator('#do-rate'));
  assert.equal(await applicant.locator('#case-state').getAttribute('data-state'), 'rated');
  assert.match(await text(applicant.locator('#case-rating')), /★★★★★/);
  await snap(applicant, 'case-11-rated-phone');

  // The same page in English.
  await go(applicant, `${casePath}?lang=en`);
  assert.equal(await text(applicant.locator('#case-state')), 'Rated');
  await snap(applicant, 'case-12-rated-phone-en');
});

test('the supervisor overview and the workbench fit a phone screen', async (t) => {
  const supervisor = await signIn(t, 'supervisor', PHONE);
  assert.equal(pathOf(supervisor), '/work/overview');
  assert.ok(await supervisor.locator('#headline').isVisible());
  await assertFits(supervisor, 'overview');
  await snap(supervisor, 'case-13-overview-phone');
  const clerk = await signIn(t, 'clerk', PHONE);
  await assertFits(clerk, 'workbench');
  await snap(clerk, 'case-14-workbench-phone');
});

test('signing in with a wrong password shows the error beside the field', async (t) => {
  const { page } = await open(browser, t);
  await go(page, '/work/queue');
  assert.equal(new URL(page.url()).pathname, '/login', 'a work page sends to sign-in');
  await page.fill('#username', 'clerk');
  await page.fill('#password', 'nope');
  await submit(page, page.locator('#login-submit'));
  assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');
  assert.match(await text(page.locator('#password-error')), /用户名或密码错误/);
  await snap(page, 'case-00-login-error');
});
