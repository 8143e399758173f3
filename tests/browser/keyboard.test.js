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
