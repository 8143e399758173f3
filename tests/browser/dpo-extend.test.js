// The DPO extends a request's deadline with a reason: the request page then
// shows "Extended due date" with the date the API reports, and the dashboard
// lists the request as extended.
import assert from 'node:assert/strict';
import { api, browserTest, englishDate, env, fileRequest, screenshot, signIn, open } from './support.js';

browserTest('the DPO extends a deadline and sees the extended due date', async ({ page }) => {
  await signIn(page, env.dpo);
  await page.waitForURL(/#\/dashboard$/);
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();

  const filed = await fileRequest(page, {
    type: 'access',
    subject: { email: 'extension.case@example.org' },
    language: 'en',
  });
  const id = filed.id;
  assert.equal(filed.extended_due_on, null);

  await open(page, `#/requests/${encodeURIComponent(id)}`);
  await page.getByRole('heading', { name: `Request ${id}`, level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Extend deadline' }).click();
  await page.getByLabel('Reason for the extension').fill('Seven systems hold data, two run by service providers');
  await page.getByRole('button', { name: 'Extend', exact: true }).click();
  await page.getByText('Extended due date').first().waitFor();

  const view = await api(page, 'GET', `/api/v1/requests/${encodeURIComponent(id)}`);
  assert.equal(view.status, 200, view.text);
  const extended = view.json.extended_due_on;
  assert.match(extended ?? '', /^\d{4}-\d{2}-\d{2}$/, 'the API reports an extended due date');
  const shown = page.locator(`time[datetime="${extended}"]`);
  await shown.first().waitFor();
  assert.ok((await shown.count()) >= 1);
  assert.ok(
    (await page.getByText(englishDate(extended)).count()) >= 1,
    `the page shows ${englishDate(extended)}`,
  );
  await screenshot(page, 'dpo-request-extended.png');

  // The dashboard, with this request among the extended ones.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  await page.getByRole('heading', { name: /^Extended/, level: 2 }).waitFor();
  await page.getByRole('link', { name: id }).first().waitFor();
  await screenshot(page, 'dpo-dashboard.png');
});
