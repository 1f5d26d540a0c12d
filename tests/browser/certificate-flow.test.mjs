// Let data travel instead of people: the demo enterprise starts a company
// online (ot-start-company) through the pages and grants consent; the
// departments approve and the clerk issues through the API; the business
// licence it received is then fetched, not uploaded, when it applies for a
// food business licence; finally it discloses only two claims of the
// licence to a verifier, who opens the verify link with no session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, open, go, shot, text, pathOf, api, submit, attachScans, ZHANG_SAN,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const REVIEWERS = ['scjg', 'gaj', 'sw', 'rsj', 'gjj'];


async function token(username) {
  return (await api('/api/v1/sessions', { method: 'POST', body: { username, password: 'demo' } })).token;
}

/** A full-page screenshot, with no field focused. */
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

/** A valid value for a field of the merged form, as the API describes it. */
function valueFor(f, me) {
  switch (f.type) {
    case 'number': return String(Math.max(1, f.min ?? 1));
    case 'date': return '2026-10-01';
    case 'phone': return '13812345678';
    case 'region': return '330212';
    case 'bool': return 'true';
    case 'choice': return f.options[0];
    case 'resident_id': return ZHANG_SAN;
    case 'uscc': return me.subject;
    default: return f.pattern ? '6222021234567890123' : '宁波三味餐饮';
  }
}

/**
 * Fills every empty input of the apply form (values the exchange pre-filled
 * are kept) and returns how many were pre-filled.
 */
async function fillForm(page, plan, me) {
  let prefilled = 0;
  for (const f of plan.form.fields) {
    const field = page.locator(`#apply-form [name="form.${f.key}"]`);
    assert.equal(await field.count(), 1, `an input for ${f.key}`);
    if ((await field.inputValue()) !== '') { prefilled += 1; continue; }
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') {
      await field.selectOption(valueFor(f, me));
    } else {
      await field.fill(valueFor(f, me));
    }
  }
  return prefilled;
}

/** Grants the consent step of the case page, when it asks. */
async function grantIfAsked(page) {
  const consent = page.locator('#consent');
  if ((await consent.count()) === 0) return false;
  if ((await page.locator('#consent-grant').count()) === 0) return false;
  assert.ok((await page.locator('#consent-scope > li').count()) >= 1, 'the reads are listed');
  await submit(page, page.locator('#consent-grant'));
  assert.equal(await page.locator('#consent').getAttribute('data-status'), 'granted');
  return true;
}

test('start a company, open a restaurant without uploading the licence, disclose two claims to a verifier', async (t) => {
  const enterpriseToken = await token('enterprise');
  const me = await api('/api/v1/me', { token: enterpriseToken });

  // 1. The enterprise applies online for ot-start-company through the pages.
  const { page } = await open(browser, t, PHONE);
  await go(page, '/login');
  await page.fill('#username', 'enterprise');
  await page.fill('#password', 'demo');
  await submit(page, page.locator('#login-submit'));
  assert.notEqual(new URL(page.url()).pathname, '/login');
  await go(page, '/one-things/ot-start-company/apply');
  assert.equal(await page.locator('#apply-form').count(), 1);
  const startPlan = await api('/api/v1/one-things/ot-start-company/plan');
  const prefilled = await fillForm(page, startPlan, me);
  assert.ok(prefilled > 0, 'the exchange pre-filled some of the enterprise\'s fields');
  // The documents travel with the form: one scan per material brought.
  assert.ok((await attachScans(page)).length > 0, 'the enterprise brings documents');
  await assertFits(page, 'apply ot-start-company');
  await snap(page, 'cert-01-apply-start-company-phone');
  await submit(page, page.locator('#submit'));
  const casePath = new URL(page.url()).pathname;
  assert.match(casePath, /^\/cases\/[0-9a-f-]{36}$/, `landed on ${page.url()}`);
  const caseId = casePath.split('/')[2];
  if (await page.locator('#consent-grant').count()) {
    await assertFits(page, 'consent step');
    await snap(page, 'cert-02-consent-step-phone');
  }
  await grantIfAsked(page);

  // 2. The departments approve through the API until nothing is open.
  const reviewerTokens = {};
  for (const d of REVIEWERS) reviewerTokens[d] = await token(`reviewer-${d}`);
  for (let round = 0; round < 6; round += 1) {
    let decided = 0;
    for (const d of REVIEWERS) {
      const queue = await api('/api/v1/tasks?state=open', { token: reviewerTokens[d] });
      for (const task of queue.items.filter((x) => !x.case_id || x.case_id === caseId)) {
        await api(`/api/v1/tasks/${task.id}/decision`, {
          method: 'POST', token: reviewerTokens[d], body: { outcome: 'approve' },
        });
        decided += 1;
      }
    }
    if (decided === 0) break;
  }
  // 3. The clerk issues the result.
  const clerkToken = await token('clerk');
  const decidedCase = await api(`/api/v1/cases/${caseId}`, { token: clerkToken });
  assert.equal(decidedCase.status, 'decided', JSON.stringify(decidedCase.tasks));
  await api(`/api/v1/cases/${caseId}/issue`, {
    method: 'POST', token: clerkToken, body: { version: decidedCase.version },
  });

  // 4. The food business licence: the business licence is fetched, not brought.
  await go(page, '/matters/330200-SCJG-003/apply');
  assert.match(await text(page.locator('#fetched')), /营业执照/, 'fetched by the exchange');
  const bring = await page.locator('#bring li').allTextContents();
  assert.ok(!bring.some((s) => s.includes('营业执照')), `not under "you bring": ${bring}`);
  await assertFits(page, 'apply food licence');
  await snap(page, 'cert-03-apply-food-licence-phone');
  const foodPlan = await api('/api/v1/matters/330200-SCJG-003/plan');
  await fillForm(page, foodPlan, me);
  await attachScans(page);
  await submit(page, page.locator('#submit'));
  assert.match(pathOf(page), /^\/cases\/[0-9a-f-]{36}$/);
  await grantIfAsked(page);
  await snap(page, 'cert-04-food-licence-submitted-phone');

  // 5. The library: tick only two claims of the business licence, present.
  await go(page, '/my/certificates');
  const licence = page.locator('section.certificate', { hasText: '营业执照' }).first();
  assert.equal(await licence.getAttribute('data-status'), 'valid');
  await assertFits(page, 'library');
  await snap(page, 'cert-05-library-phone');
  const boxes = licence.locator('input[name="disclose"]');
  for (let i = 0; i < await boxes.count(); i += 1) await boxes.nth(i).uncheck();
  await licence.locator('input[name="disclose"][value="licensed"]').check();
  await licence.locator('input[name="disclose"][value="valid_until"]').check();
  await submit(page, licence.locator('button[type="submit"]'));
  const presentation = await page.locator('#presentation').inputValue();
  assert.equal(presentation.split('~').length - 2, 2, 'the JWT and exactly two disclosures');
  assert.equal(await page.locator('#qr svg').count(), 1, 'the QR code is inline');
  const verifyUrl = await page.locator('#verify-link').getAttribute('href');
  assert.ok(verifyUrl.startsWith(`${BASE_URL}/verify?presentation=`), verifyUrl);
  await assertFits(page, 'presentation');
  await snap(page, 'cert-06-presented-phone');

  // The printable certificate, with everything on it.
  const id = await licence.getAttribute('data-id');
  await go(page, `/my/certificates/${id}/print`);
  assert.ok((await page.locator('#claims tr[data-claim]').count()) >= 6);
  assert.equal(await page.locator('#qr svg').count(), 1);
  await assertFits(page, 'print page');
  await page.setViewportSize({ width: 1000, height: 900 });
  await snap(page, 'cert-07-print');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'no site header on paper');
  await snap(page, 'cert-08-print-media');
  await page.emulateMedia({ media: 'screen' });

  // 6. A verifier with no session opens the link: valid, exactly two rows.
  const verifier = await open(browser, t, PHONE);
  const response = await verifier.page.goto(verifyUrl, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  assert.equal(await verifier.page.locator('#login-link').count(), 1, 'nobody is signed in');
  assert.equal(await verifier.page.locator('#verdict').getAttribute('data-valid'), 'true');
  const rows = verifier.page.locator('#disclosed tbody tr');
  assert.equal(await rows.count(), 2);
  const claims = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.claim));
  assert.deepEqual(claims.sort(), ['licensed', 'valid_until']);
  assert.equal(await verifier.page.locator('#disclosed tr[data-claim="address"]').count(), 0);
  assert.equal(await verifier.page.locator('#disclosed tr[data-claim="holder_name"]').count(), 0);
  assert.match(await text(verifier.page.locator('#v-issuer')), /市场监督管理局/);
  await assertFits(verifier.page, 'verify page');
  await snap(verifier.page, 'cert-09-verify-valid-phone');

  // A changed presentation is refused, the reason beside the field.
  await verifier.page.fill('#presentation', presentation.replace(/~[^~]+~$/, '~WyJzYWx0IiwibGljZW5zZWQiLGZhbHNlXQ~'));
  await submit(verifier.page, verifier.page.locator('form.verify-form button[type="submit"]'));
  assert.equal(await verifier.page.locator('#verdict').getAttribute('data-valid'), 'false');
  assert.equal(await verifier.page.locator('#presentation-error').getAttribute('data-rule'), 'tampered_disclosure');
  await snap(verifier.page, 'cert-10-verify-tampered-phone');

  // The same in English.
  await go(verifier.page, `/verify?lang=en&presentation=${presentation}`);
  assert.match(await text(verifier.page.locator('#verdict')), /Valid/);
  await snap(verifier.page, 'cert-11-verify-valid-en-phone');
});
