// The login form by keyboard alone: Tab to each field, type, Tab to the
// button, Enter; every focused control shows a visible focus indicator.
import assert from 'node:assert/strict';
import { browserTest, env } from './support.js';

// The accessible label of the focused element, and whether it shows a focus
// ring (an outline or a box shadow).
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { label: '', ring: false };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const label =
      (element.labels && element.labels[0] && element.labels[0].textContent.trim()) ||
      element.getAttribute('aria-label') ||
      element.textContent.trim();
    return { label, ring: outline || shadow };
  });
}

async function tabTo(page, label) {
  for (let presses = 0; presses < 15; presses += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.label === label) {
      assert.ok(now.ring, `"${label}" has no visible focus indicator`);
      return;
    }
  }
  assert.fail(`Tab never reached "${label}"`);
}

browserTest('the login form works by keyboard alone with a visible focus', async ({ page }) => {
  await page.goto(`${env.url}/#/login`);
  await page.getByLabel('User name').waitFor();
  await tabTo(page, 'User name');
  await page.keyboard.type(env.agent.name);
  await tabTo(page, 'Password');
  await page.keyboard.type(env.agent.password);
  await tabTo(page, 'Sign in');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/requests$/);
  await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor();
});

browserTest('a request is filed and a record redacted by keyboard alone', async ({ page }) => {
  await page.goto(`${env.url}/#/login`);
  await page.getByLabel('User name').fill(env.agent.name);
  await page.getByLabel('Password').fill(env.agent.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/requests$/);
  await page.goto(`${env.url}/#/requests/new`);
  await page.getByRole('heading', { name: 'New request', exact: true }).waitFor();
  await tabTo(page, 'E-mail');
  await page.keyboard.type(env.subjectEmail);
  for (let presses = 0; presses < 30 && (await focused(page)).label !== 'File request'; presses += 1) {
    await page.keyboard.press('Tab');
  }
  assert.equal((await focused(page)).label, 'File request', 'Tab never reached "File request"');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/requests\/(?!new$)[^/]+$/);

  // Buttons answer Enter; the page's next step is the identity check.
  const confirm = page.getByRole('button', { name: 'Identity confirmed' });
  await confirm.focus();
  assert.ok((await focused(page)).ring, '"Identity confirmed" has no visible focus indicator');
  await page.keyboard.press('Enter');
  const redact = page.getByRole('button', { name: 'Redact' }).first();
  await redact.waitFor({ timeout: 60_000 });

  // The dialog takes the focus, Escape closes it and gives the focus back.
  await redact.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Redact record' });
  await dialog.waitFor();
  assert.ok(await dialog.evaluate((element) => element.contains(document.activeElement)),
    'the focus is not in the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.ok(await redact.evaluate((element) => element === document.activeElement),
    'the focus did not return to the button that opened the dialog');
});
