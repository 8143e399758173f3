// The identity check and the paused clock from the request page: the agent
// pauses the clock while waiting for the data subject, sees it on the page
// and in the API, resumes it, and records that the identity could not be
// established, which refuses the request (Art. 12(6)).
import assert from 'node:assert/strict';
import { api, browserTest, env, fileRequest, open, signIn } from './support.js';

browserTest('the agent pauses and resumes the clock and records a failed identity check', async ({ page }) => {
  await signIn(page, env.agent);
  const filed = await fileRequest(page, { type: 'access', subject: { email: env.subjectEmail } });
  const id = encodeURIComponent(filed.id);
  await open(page, `#/requests/${id}`);
  await page.getByText('Check that the person is who they say they are').waitFor();

  await page.getByRole('button', { name: 'Pause clock' }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByText('Give a reason of at least 3 characters.').waitFor();
  assert.equal((await api(page, 'GET', `/api/v1/requests/${id}`)).json.paused, false, 'paused without a reason');
  await page.getByLabel('Reason').fill('Asked the customer for the order number');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByText('The clock is paused.').waitFor();
  await page.getByText('The clock is paused while we wait for the data subject.').waitFor();
  assert.equal((await api(page, 'GET', `/api/v1/requests/${id}`)).json.paused, true);

  await page.getByRole('button', { name: 'Resume clock' }).click();
  await page.getByText('The clock runs again.').waitFor();
  assert.equal((await api(page, 'GET', `/api/v1/requests/${id}`)).json.paused, false);

  await page.getByLabel('How was it checked?').selectOption({ label: 'Call back on the known number' });
  await page.getByLabel('Note on the check').fill('Number not reachable three times');
  await page.getByRole('button', { name: 'Identity not established' }).click();
  await page.getByText('The request was refused. Send the refusal letter to the data subject.').waitFor();
  const refused = (await api(page, 'GET', `/api/v1/requests/${id}`)).json;
  assert.equal(refused.status, 'rejected');
  assert.equal(refused.closing_ground, 'identity_not_established');
});
