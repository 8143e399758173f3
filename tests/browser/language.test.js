// The language switch: "Deutsch" turns the interface German, the choice is
// stored for the user (GET /api/v1/session) and holds after a reload.
import assert from 'node:assert/strict';
import { api, browserTest, env, signIn } from './support.js';

browserTest('switching to Deutsch is shown at once and kept after a reload', async ({ page }) => {
  await signIn(page, env.agent);
  await page.waitForURL(/#\/requests$/);
  await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor();
  try {
    await page.getByLabel('Language').selectOption({ label: 'Deutsch' });
    await page.getByRole('heading', { name: 'Anfragen', exact: true }).waitFor();
    const session = await api(page, 'GET', '/api/v1/session');
    assert.equal(session.status, 200, session.text);
    assert.equal(session.json.language, 'de');

    await page.reload();
    await page.getByRole('heading', { name: 'Anfragen', exact: true }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Requests', exact: true }).count(), 0);
  } finally {
    // The other scenarios sign in as the same agent and expect English.
    await api(page, 'PUT', '/api/v1/session/language', { language: 'en' });
  }
});
