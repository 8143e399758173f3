// The agent's whole access request in the browser: file it through the form,
// confirm the identity, wait for the sources, withhold one record with a
// reason, approve, and download the bundle, which then lacks that record.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, browserTest, env, localDate, screenshot, signIn, waitUntil } from './support.js';
import { readZip } from './zip.js';

// Every object anywhere in a parsed JSON value, as canonical text.
function objectsIn(value, found = new Set()) {
  if (Array.isArray(value)) value.forEach((item) => objectsIn(item, found));
  else if (value && typeof value === 'object') {
    found.add(canonical(value));
    Object.values(value).forEach((item) => objectsIn(item, found));
  }
  return found;
}
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

browserTest('an agent files an access request, withholds a record and downloads the bundle', { timeout: 300_000 }, async ({ page }) => {
  await signIn(page, env.agent);
  await page.waitForURL(/#\/requests$/);
  await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New request' }).click();
  await page.getByRole('heading', { name: 'New request' }).waitFor();
  await page.getByLabel('Type').selectOption({ label: 'Access' });
  await page.getByLabel('E-mail', { exact: true }).fill(env.subjectEmail);
  // The page may offer today already; else today on this machine.
  const received = page.getByLabel('Date of receipt');
  if ((await received.inputValue()) === '') await received.fill(localDate());
  await screenshot(page, 'agent-new-request.png');
  await page.getByRole('button', { name: 'File request' }).click();

  await page.waitForURL(/#\/requests\/(?!new$)[^/]+$/);
  const id = decodeURIComponent(new URL(page.url()).hash.replace('#/requests/', ''));
  await page.getByRole('heading', { name: `Request ${id}`, level: 1 }).waitFor();
  const filed = await api(page, 'GET', `/api/v1/requests/${encodeURIComponent(id)}`);
  assert.equal(filed.status, 200, filed.text);
  assert.equal(filed.json.type, 'access');

  // The identity check: a reply from the address the customer is known by.
  await page.getByLabel('How was it checked?').selectOption({ label: 'Reply from the known e-mail address' });
  await page.getByRole('button', { name: 'Identity confirmed' }).click();

  // The CRM worker searches; the page shows its task done and the records.
  const reload = async () => {
    await page.reload();
    await page.getByRole('heading', { name: `Request ${id}`, level: 1 }).waitFor();
  };
  const redactButtons = page.getByRole('button', { name: 'Redact' });
  await waitUntil(
    async () =>
      (await page.getByRole('row').filter({ hasText: /crm/i }).filter({ hasText: 'Done' }).count()) > 0 &&
      (await redactButtons.count()) > 0,
    { limit: 60_000, between: reload, what: 'the CRM source to be done and its records shown' },
  );

  await redactButtons.first().click();
  const dialog = page.getByRole('dialog', { name: 'Redact record' });
  await dialog.waitFor();
  await dialog.getByRole('radio', { name: 'The whole record' }).check();
  const reason = 'Belongs to a namesake, not to the requester';
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('row').filter({ hasText: 'Withheld' }).filter({ hasText: reason }).first().waitFor();

  // The API agrees: exactly one record is excluded, with that reason.
  const records = await api(page, 'GET', `/api/v1/requests/${encodeURIComponent(id)}/records?limit=500`);
  assert.equal(records.status, 200, records.text);
  const withheld = records.json.records.filter((r) => r.decision && r.decision.decision === 'exclude');
  assert.equal(withheld.length, 1);
  assert.equal(withheld[0].decision.reason, reason);
  // The letter as it would go out now, in both languages.
  const letter = page.frameLocator('iframe[title="Letter preview"]');
  await page.getByRole('button', { name: 'Deutsch', exact: true }).click();
  await letter.getByRole('heading', { name: 'Auskunft über Ihre personenbezogenen Daten' }).waitFor();
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await letter.getByRole('heading', { name: 'The personal data we hold about you' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'English', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('button', { name: 'Deutsch', exact: true }).getAttribute('aria-pressed'), 'false');
  await screenshot(page, 'agent-request.png');

  await page.getByRole('button', { name: 'Approve' }).click();
  const download = page.getByRole('link', { name: 'Download bundle' });
  await waitUntil(async () => (await download.count()) > 0, {
    limit: 60_000,
    between: reload,
    what: 'the sealed bundle',
  });
  assert.equal(await download.getAttribute('href'), `/api/v1/requests/${encodeURIComponent(id)}/bundle`);
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  assert.equal(await file.failure(), null, 'the download of the bundle failed');
  const zip = await readFile(await file.path());
  assert.ok(zip.length > 0);
  assert.equal(zip.toString('latin1', 0, 4), 'PK\u0003\u0004', 'the bundle is a ZIP file');

  // The withheld record is in none of the bundle's JSON files; others are.
  const entries = readZip(zip);
  const inBundle = new Set();
  for (const [name, content] of entries) {
    if (name.endsWith('.json')) objectsIn(JSON.parse(content.toString('utf8')), inBundle);
  }
  assert.ok(!inBundle.has(canonical(withheld[0].record)), 'the withheld record is in the bundle');
  const kept = records.json.records.filter((r) => !r.decision);
  if (kept.length > 0) assert.ok(inBundle.has(canonical(kept[0].record)), 'a kept record is missing from the bundle');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
  await page.getByRole('heading', { name: 'Requests', exact: true }).waitFor();
  await page.getByRole('link', { name: id }).first().waitFor();
  await screenshot(page, 'requests-list.png');
});
