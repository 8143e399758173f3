// The auditor reads the course of requests, never who they are about: the
// dashboard, a request's dates and timeline and its audit trail, without the
// data subject, the findings or any button that changes something.
import assert from 'node:assert/strict';
import { browserTest, env, fileRequest, open, signIn } from './support.js';

browserTest('the auditor sees a request\'s course but not its subject or findings', async ({ page, context }) => {
  // The DPO files a request in a browser of its own; the auditor reads it.
  const dpoPage = await context.newPage();
  await signIn(dpoPage, env.dpo);
  const filed = await fileRequest(dpoPage, { type: 'access', subject: { email: env.subjectEmail } });
  await dpoPage.close();
  await context.clearCookies();

  await signIn(page, env.auditor);
  await page.waitForURL(/#\/dashboard$/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link', { name: 'New request' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Reports' }).count(), 1);

  await open(page, `#/requests/${encodeURIComponent(filed.id)}`);
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  await page.getByText('Request received').first().waitFor();
  assert.equal(await page.getByText(env.subjectEmail).count(), 0, 'the auditor sees the subject');
  for (const hidden of ['What was found', 'Answer', 'Identity']) {
    assert.equal(await page.getByRole('heading', { name: hidden, exact: true }).count(), 0, hidden);
  }
  assert.equal(await page.getByRole('button', { name: /Approve|Extend|Pause|Refuse|Cancel/ }).count(), 0);

  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByRole('heading', { name: 'Audit trail', exact: true }).waitFor();
  await page.getByText(/events link up/).waitFor();
  await open(page, '#/requests/new');
  await page.getByRole('heading', { name: 'Not allowed', exact: true }).waitFor();
});
