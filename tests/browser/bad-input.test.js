// Bad input on the new request form: a date of receipt in the future and a
// malformed e-mail each get the form's own error text next to their field,
// and no request is filed.
import assert from 'node:assert/strict';
import { browserTest, env, localDate, requestCount, signIn, open } from './support.js';

// The field is marked invalid and describes itself by a visible
// .field-error element with `text`.
async function assertFieldError(page, field, text) {
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.trim() !== '', 'the field has aria-describedby');
  const errors = page.locator(describedBy.trim().split(/\s+/).map((id) => `[id="${id}"].field-error`).join(', '));
  assert.equal(await errors.count(), 1, `one .field-error among ${describedBy}`);
  assert.ok(await errors.isVisible(), 'the error text is visible');
  assert.equal((await errors.innerText()).trim(), text);
}

browserTest('a future date of receipt and a malformed e-mail are shown at their fields', async ({ page }) => {
  await signIn(page, env.agent);
  await page.waitForURL(/#\/requests$/);
  const before = await requestCount(page);

  await open(page, '#/requests/new');
  await page.getByRole('heading', { name: 'New request' }).waitFor();
  await page.getByLabel('Type').selectOption({ label: 'Access' });
  const email = page.getByLabel('E-mail', { exact: true });
  const received = page.getByLabel('Date of receipt');
  await email.fill('name.example.com');
  await received.fill(localDate(3));
  await page.getByRole('button', { name: 'File request' }).click();

  await page.locator('.field-error:visible').first().waitFor();
  await assertFieldError(page, received, 'The date of receipt cannot be in the future.');
  await assertFieldError(page, email, 'Enter an e-mail address such as name@example.com.');
  assert.match(new URL(page.url()).hash, /^#\/requests\/new$/);
  assert.equal(await requestCount(page), before, 'a request was filed all the same');
});
