// 好差评 in the browser, on a 390 px phone: 张三 rates a delivered case
// badly on its page (the five levels by name); the market regulator's
// reviewer contacts him and replies on the follow-up page; 张三 rates the
// rectification once more (追评) on /my/ratings; the public register shows
// the reply without his telephone number; at the window, a served visit
// is rated on the counter's tablet page. Every page passes axe-core in zh
// and en.
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
const MATTER = '330200-RSJ-002';

/** A case of 张三's taken at the window, approved, issued and handed over. */
async function deliveredCase() {
  const clerk = await token('clerk');
  const id = await acceptedAtWindow(MATTER);
  const reviewer = await token('reviewer-rsj');
  for (const task of (await api('/api/v1/tasks?state=open', { token: reviewer })).items.filter((x) => x.case_id === id)) {
    await api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', token: reviewer, body: { outcome: 'approve' } });
  }
  let c = await api(`/api/v1/cases/${id}`, { token: clerk });
  c = await api(`/api/v1/cases/${id}/issue`, { method: 'POST', token: clerk, body: { version: c.version } });
  c = await api(`/api/v1/cases/${id}`, { token: clerk });
  await api(`/api/v1/cases/${id}/deliver`, {
    method: 'POST', token: clerk, body: { version: c.version, mode: 'window', window: 'w-commerce' },
  });
  return id;
}

test('a bad rating followed up, rated again, published; a visit rated on the tablet', async (t) => {
  const id = await deliveredCase();

  // 1. 张三 rates the case 非常不满意 on its page.
  const zhang = await signIn(browser, t, 'applicant', PHONE);
  await go(zhang, `/cases/${id}`);
  assert.match(await text(zhang.locator('#form-rate fieldset')), /非常不满意/);
  await checked(zhang, 'case page with the rating form');
  await zhang.check('#score-1');
  await zhang.fill('#comment', '材料说明不清楚，打电话13812345678问了三次');
  await submit(zhang, zhang.locator('#do-rate'));
  await go(zhang, '/my/ratings');
  const mine = zhang.locator('section[data-rating]').first();
  const ratingId = await mine.getAttribute('data-rating');
  assert.match(await text(mine), /非常不满意/);
  await checked(zhang, 'my ratings, follow-up pending');

  // 2. The reviewer of the social security bureau contacts him, then replies.
  const reviewer = await signIn(browser, t, 'reviewer-rsj', PHONE);
  await go(reviewer, '/work/follow-ups');
  const card = reviewer.locator(`section[data-rating="${ratingId}"]`);
  assert.equal(await card.count(), 1, 'the follow-up is the bureau\'s');
  await checked(reviewer, 'follow-ups');
  await submit(reviewer, card.locator('form button'));
  assert.equal(await card.locator('.field-error').count(), 1, 'an empty note is refused beside its field');
  await assertAccessible(reviewer, 'follow-ups with an error');
  await card.locator('textarea').fill('已电话回访，致歉并讲解材料要求');
  await submit(reviewer, card.locator('form button'));
  await card.locator('textarea').fill('已在办事指南中补充材料样表和填写说明');
  await submit(reviewer, card.locator('form button'));
  assert.match(await text(card), /补充材料样表/);
  await shot(reviewer, 'ratings-01-follow-up');

  // 3. 张三 rates the rectification (追评), once.
  await go(zhang, '/my/ratings');
  const again = zhang.locator(`section[data-rating="${ratingId}"]`);
  assert.match(await text(again), /补充材料样表/);
  await checked(zhang, 'my ratings with the reply');
  await again.locator('input[name="score"][value="4"]').check();
  await submit(zhang, again.locator('form button'));
  assert.equal(await again.locator('form').count(), 0, 'a second rating is given once');
  assert.match(await text(again), /满意/);

  // 4. The public register: the reply, no telephone number.
  const visitor = await (await browser.newContext({ locale: 'zh-CN', ...PHONE })).newPage();
  t.after(() => visitor.context().close());
  await go(visitor, '/ratings');
  const row = visitor.locator(`li[data-rating="${ratingId}"]`);
  assert.match(await text(row), /补充材料样表/);
  assert.doesNotMatch(await text(row), /13812345678/);
  await checked(visitor, 'the public register');
  await shot(visitor, 'ratings-02-register');

  // 5. At the window: a number served, then rated on the counter's tablet.
  const clerk = await signIn(browser, t, 'clerk', PHONE);
  await go(clerk, '/work/hall');
  await submit(clerk, clerk.locator('#walk-in'));
  await clerk.fill('#counter', '7');
  await submit(clerk, clerk.locator('#call-next'));
  await clerk.fill('#counter', '7');
  await submit(clerk, clerk.locator('#call-next'));
  await submit(clerk, clerk.locator('a.rate-visit').first());
  await checked(clerk, 'the counter\'s rating tablet');
  await submit(clerk, clerk.locator('#visit-submit'));
  assert.equal(await clerk.locator('#visit-error').count(), 1, 'a level must be chosen');
  await clerk.check('#visit-5');
  await submit(clerk, clerk.locator('#visit-submit'));
  assert.equal(await clerk.locator('#visit-thanks').count(), 1);
  await shot(clerk, 'ratings-03-tablet');
});
