// The admin's users page: adding a user (with the rules shown at the fields),
// issuing an API token that is shown once and works, revoking it, and
// disabling the user, after which they can no longer sign in.
import assert from 'node:assert/strict';
import { browserTest, env, open, screenshot, signIn } from './support.js';

async function whoAmI(page, token) {
  const answer = await page.request.fetch(`${env.url}/api/v1/session`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return answer.status();
}

browserTest('the admin adds a user, issues and revokes a token, and disables the user; the DPO sees who did it', async ({ page, context }) => {
  await signIn(page, env.admin);
  await page.waitForURL(/#\/users$/);
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

  const name = `clerk.${Date.now()}`;
  await page.getByLabel('User name', { exact: true }).fill('Not A Name');
  await page.getByLabel('Initial password').fill('short');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('Use lower case letters, digits, dot, dash or underscore').waitFor();
  await page.getByText('The password needs at least 12 characters.').waitFor();
  assert.equal(await page.getByLabel('Initial password').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('User name', { exact: true }).fill(name);
  await page.getByLabel('Role').selectOption({ label: 'agent' });
  await page.getByLabel('Initial password').fill('a password of the clerk');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText(`${name} is added.`).waitFor();

  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: `API tokens of ${name}` }).waitFor();
  await page.getByLabel('Label').fill('reporting script');
  await page.getByRole('button', { name: 'Issue token' }).click();
  const shown = page.locator('.notice-success code');
  await shown.waitFor();
  const token = (await shown.textContent()).trim();
  assert.match(token, /^dsr_/);
  assert.equal(await whoAmI(page, token), 200, 'the new token does not work');

  await page.getByRole('button', { name: /^Revoke / }).click();
  await page.getByText('The token is revoked.').waitFor();
  assert.equal(await whoAmI(page, token), 401, 'the revoked token still works');
  await screenshot(page, 'admin-users.png');

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: `Disable ${name}` }).click();
  await page.getByText(`${name} is disabled.`).waitFor();

  // The disabled user cannot sign in.
  await context.clearCookies();
  await open(page, '#/login');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill('a password of the clerk');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();

  // The DPO reads who did all this among the reports.
  await signIn(page, env.dpo);
  await open(page, '#/reports');
  const changes = page.getByRole('region', { name: 'Changes to users and tokens' });
  for (const text of [`User ${name} created (agent)`, `User ${name} disabled`,
    `for ${name}`, 'revoked']) {
    await changes.getByRole('row').filter({ hasText: text }).filter({ hasText: env.admin.name }).first().waitFor();
  }
});
