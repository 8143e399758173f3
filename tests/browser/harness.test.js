// The harness itself: the network cut aborts and records whatever leaves the
// coordinator's origin, the coordinator's own origin is reached, page errors
// and console errors are recorded, and screenshots land in DSR_ARTIFACT_DIR
// as PNG files.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { env, openBrowser, screenshot, waitUntil } from './support.js';

test('the network is cut off except for the coordinator, and screenshots are saved', async () => {
  const session = await openBrowser();
  try {
    const { page } = session;
    const health = await page.goto(`${env.url}/healthz`);
    assert.equal(health.status(), 200);
    const outside = ['https://fonts.googleapis.com/css2?family=Inter', 'http://198.51.100.7/logo.png'];
    const outcomes = await page.evaluate(
      (urls) => Promise.all(urls.map((url) => fetch(url).then(() => 'loaded', () => 'failed'))),
      outside,
    );
    assert.deepEqual(outcomes, ['failed', 'failed']);
    assert.deepEqual([...new Set(session.blocked)].sort(), [...outside].sort());
    const own = await page.evaluate(async () => (await fetch('/healthz')).status);
    assert.equal(own, 200);

    // A script error and a logged error are recorded, so a scenario fails on them.
    await page.evaluate(() => {
      console.error('logged by the harness check');
      setTimeout(() => {
        throw new Error('thrown by the harness check');
      });
    });
    const expected = ['console error: logged by the harness check', 'page error: thrown by the harness check'];
    await waitUntil(async () => expected.every((error) => session.errors.includes(error)), {
      limit: 10_000,
      every: 50,
      what: 'the console error and the page error to be recorded',
    });

    await screenshot(page, 'harness.png');
    const png = await readFile(path.join(env.artifactDir, 'harness.png'));
    assert.ok(png.length > 100);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  } finally {
    await session.close();
  }
});
