// On a phone-sized screen (390×844) the request list and a request page fit
// the width: no horizontal scrolling.
import assert from 'node:assert/strict';
import { browserTest, env, fileRequest, screenshot, signIn } from './support.js';

async function assertNoHorizontalScroll(page, what) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${what} scrolls sideways: ${scrollWidth} px wide in ${innerWidth} px`);
}

browserTest('the request list and a request page fit a narrow screen', { viewport: { width: 390, height: 844 } }, async ({ page }) => {
  await signIn(page, env.agent);
  await page.waitForURL(/#\/requests$/);
  const filed = await fileRequest(page, {
    type: 'access',
    subject: { email: 'narrow.screen@example.org', name: 'Maximiliane Mustermann-Schmidt' },
    language: 'de',
  });
  await page.reload();
  await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor();
  await page.getByRole('link', { name: filed.id }).first().waitFor();
  await assertNoHorizontalScroll(page, 'the request list');

  await page.getByRole('link', { name: filed.id }).first().click();
  await page.getByRole('heading', { name: `Request ${filed.id}`, level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Timeline', level: 2 }).waitFor();
  await assertNoHorizontalScroll(page, 'the request page');
  await screenshot(page, 'narrow-request.png');
});
