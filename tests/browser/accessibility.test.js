// Accessibility of the main pages, checked by axe-core (the engine behind
// most accessibility checkers) against WCAG 2.1 A and AA: labels, names,
// contrast, landmarks, ARIA use. Any violation fails, whatever its impact.
// axe runs in the page through the test's own channel (page.evaluate), so
// the page's Content-Security-Policy stays as it is.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { browserTest, env, fileRequest, open, settled, signIn } from './support.js';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      iframes: false, // letters and reports are documents of their own
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

async function checkPage(page, what) {
  const found = await violations(page);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

browserTest('the sign-in page meets WCAG 2.1 AA', async ({ page }) => {
  await page.goto(`${env.url}/#/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await checkPage(page, 'sign-in');
  // With the error of a wrong password shown.
  await page.getByLabel('User name').fill(env.agent.name);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  await checkPage(page, 'sign-in with an error');
});

browserTest('the agent\'s pages meet WCAG 2.1 AA', async ({ page }) => {
  await signIn(page, env.agent);
  await checkPage(page, 'request list');
  await open(page, '#/requests/new');
  await checkPage(page, 'new request');
  // The form with its errors next to the fields.
  await page.getByLabel('E-mail', { exact: true }).fill('not an address');
  await page.getByRole('button', { name: 'File request' }).click();
  await page.locator('.field-error:not([hidden])').first().waitFor();
  await checkPage(page, 'new request with errors');
  await page.getByLabel('Type').selectOption({ label: 'Rectification' });
  await page.getByRole('group', { name: 'Corrections' }).waitFor();
  await checkPage(page, 'new rectification');
  const filed = await fileRequest(page, { type: 'access', subject: { email: env.subjectEmail } });
  await open(page, `#/requests/${encodeURIComponent(filed.id)}`);
  await checkPage(page, 'request page');
  for (const route of ['#/holds', '#/sources', '#/dashboard']) {
    await open(page, route);
    await checkPage(page, route);
  }
});

browserTest('the DPO\'s pages meet WCAG 2.1 AA', async ({ page }) => {
  await signIn(page, env.dpo);
  await checkPage(page, 'dashboard');
  const filed = await fileRequest(page, { type: 'erasure', subject: { email: env.subjectEmail } });
  for (const route of ['#/reports', '#/record-of-processing', `#/requests/${filed.id}`,
    `#/requests/${filed.id}/audit`]) {
    await open(page, route);
    await checkPage(page, route);
  }
  await page.goto(`${env.url}/#/requests/${filed.id}`);
  await settled(page);
  await page.getByRole('button', { name: 'Extend deadline' }).click();
  await page.getByLabel('Reason for the extension').waitFor();
  await checkPage(page, 'request page with the extension form');
});

browserTest('the admin\'s page meets WCAG 2.1 AA', async ({ page }) => {
  await signIn(page, env.admin);
  await checkPage(page, 'users');
  await open(page, `#/users?user=${encodeURIComponent(env.agent.name)}`);
  await page.getByRole('button', { name: 'Issue token' }).waitFor();
  await checkPage(page, 'users with tokens');
});
