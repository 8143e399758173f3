// Pages the agent's role may not see: the dashboard and the record of
// processing show "Not allowed", their data is never fetched, and the
// navigation offers no link to the dashboard.
import assert from 'node:assert/strict';
import { browserTest, env, signIn, open } from './support.js';

browserTest('the agent sees "Not allowed" on the DPO pages and no dashboard link', async ({ page }) => {
  await signIn(page, env.agent);
  await page.waitForURL(/#\/requests$/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Requests' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Dashboard' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Record of processing' }).count(), 0);

  const fetched = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/v1/dashboard') || pathname.startsWith('/api/v1/record-of-processing')) {
      fetched.push(pathname);
    }
  });
  for (const route of ['#/dashboard', '#/record-of-processing']) {
    await open(page, route);
    await page.getByRole('heading', { name: 'Not allowed', exact: true }).waitFor();
    await page.getByText('Your role (agent) may not open this page.').waitFor();
  }
  assert.deepEqual(fetched, [], 'the pages fetched data the agent may not see');
});
