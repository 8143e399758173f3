// Support for the browser scenarios: headless Debian Chromium driven by
// playwright-core against the coordinator that tests/e2e/browser_test.cc
// starts. Every scenario runs with the network cut off: only the
// coordinator's own origin is reached, any other request is aborted and
// recorded, and the scenario fails when one was attempted, when the page
// throws, or when it logs an error.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the scenarios run from tests/e2e/browser_test.cc`);
  return value;
}

export const env = {
  url: required('DSR_URL').replace(/\/$/, ''),
  caFile: required('DSR_CA_FILE'),
  agent: { name: required('DSR_AGENT_USER'), password: required('DSR_AGENT_PASSWORD') },
  dpo: { name: required('DSR_DPO_USER'), password: required('DSR_DPO_PASSWORD') },
  auditor: { name: required('DSR_AUDITOR_USER'), password: required('DSR_AUDITOR_PASSWORD') },
  admin: { name: required('DSR_ADMIN_USER'), password: required('DSR_ADMIN_PASSWORD') },
  subjectEmail: required('DSR_SUBJECT_EMAIL'),
  artifactDir: required('DSR_ARTIFACT_DIR'),
};
export const origin = new URL(env.url).origin;

// Chromium takes no CA file, so the browser ignores certificate errors; the
// certificate it is shown is the cluster's all the same: node checks it once
// against the cluster's CA before the first browser starts.
let certificateChecked = false;
async function checkCertificate() {
  if (certificateChecked) return;
  const ca = await readFile(env.caFile);
  await new Promise((resolve, reject) => {
    https
      .get(`${env.url}/healthz`, { ca }, (answer) => {
        answer.resume();
        answer.on('end', () =>
          answer.statusCode === 200 ? resolve() : reject(new Error(`/healthz answered ${answer.statusCode}`)),
        );
      })
      .on('error', reject);
  });
  certificateChecked = true;
}

// Flags for a machine without network: no background requests to Google's
// services, no first-run dialogs, no sandbox (tests run as root).
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The browser logs every HTTP error answer of a fetch as a console error. A
// 4xx from the coordinator is an answer the scenario provokes and checks
// (401 before signing in, 422 for bad input); a 5xx is counted as an error
// through the response itself.
const expectedConsoleError = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

// Starts Chromium with a fresh profile and the network cut off.
export async function openBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  await checkCertificate();
  const profile = await mkdtemp(path.join(tmpdir(), 'dsr-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
    headless: true,
    viewport,
    locale: 'en-US',
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
  });
  const session = {
    context,
    page: context.pages()[0] ?? (await context.newPage()),
    blocked: [],
    errors: [],
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    session.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  // Requests the router never sees (web sockets, prefetches) count too.
  context.on('request', (request) => {
    const url = request.url();
    if (/^(https?|wss?):/.test(url) && new URL(url).origin !== origin && !session.blocked.includes(url)) {
      session.blocked.push(url);
    }
  });
  const watch = (page) => {
    page.on('pageerror', (error) => session.errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !expectedConsoleError.test(message.text())) {
        session.errors.push(`console error: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 500) session.errors.push(`${response.status()} from ${response.url()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  session.close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  return session;
}

// A scenario: a fresh browser per test; afterwards it asserts that nothing
// left the coordinator's origin and that the page had no error.
export function browserTest(name, options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  test(name, { timeout: options.timeout ?? 180_000 }, async (t) => {
    const session = await openBrowser(options);
    try {
      await body(session, t);
      assert.deepEqual(session.blocked, [], 'requests to other origins were attempted');
      assert.deepEqual(session.errors, [], 'the page had errors');
    } catch (failure) {
      // What the page showed when the scenario failed, and what it logged.
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
      await screenshot(session.page, `failed-${slug}.png`).catch(() => {});
      if (session.errors.length > 0) t.diagnostic(`page errors: ${session.errors.join(' | ')}`);
      if (session.blocked.length > 0) t.diagnostic(`blocked requests: ${session.blocked.join(' ')}`);
      throw failure;
    } finally {
      await session.close();
    }
  });
}

// Signs in through the login page as `user` ({name, password}).
export async function signIn(page, user) {
  await page.goto(`${env.url}/#/login`);
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
  await settled(page);
}

// Waits until the page shown has loaded: a heading, no loading notice.
export async function settled(page) {
  await page.waitForFunction(
    () => document.querySelector('#main h1') !== null && document.querySelector('#main .loading') === null,
  );
}

// Opens `route` ("#/requests/new") and waits until its page has loaded.
export async function open(page, route) {
  await page.goto(`${env.url}/${route}`);
  await settled(page);
}

// A full-page PNG in DSR_ARTIFACT_DIR.
export async function screenshot(page, name) {
  await mkdir(env.artifactDir, { recursive: true });
  await page.screenshot({ path: path.join(env.artifactDir, name), fullPage: true });
}

// The API through the browser's own session cookie (as the page calls it);
// writes carry the CSRF header the cookie needs.
export async function api(page, method, urlPath, body) {
  const answer = await page.request.fetch(`${env.url}${urlPath}`, {
    method,
    headers: method === 'GET' ? {} : { 'X-DSR-CSRF': '1', 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the caller looks at the status
  }
  return { status: answer.status(), json, text };
}

// Files a request through the API as the signed-in user; returns its view.
export async function fileRequest(page, body) {
  const answer = await api(page, 'POST', '/api/v1/requests', body);
  assert.equal(answer.status, 201, `filing a request answered ${answer.status}: ${answer.text}`);
  return answer.json;
}

// The number of requests the API lists (all statuses).
export async function requestCount(page) {
  const answer = await api(page, 'GET', '/api/v1/requests?limit=500');
  assert.equal(answer.status, 200, answer.text);
  return answer.json.requests.length;
}

// Polls `check` (async, truthy when done) every `every` ms, up to `limit` ms;
// `between` runs before each further try (e.g. a reload).
export async function waitUntil(check, { limit = 60_000, every = 1_000, between, what = 'a condition' } = {}) {
  const giveUp = Date.now() + limit;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() >= giveUp) throw new Error(`gave up after ${limit} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
    if (between) await between();
  }
}

// Today's date on this machine (the coordinator's too), as YYYY-MM-DD.
export function localDate(offsetDays = 0) {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const two = (n) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}`;
}

// "28 April 2025" for 2025-04-28: the page's English long date.
export function englishDate(iso) {
  const [year, month, day] = iso.split('-').map(Number);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];
  return `${day} ${months[month - 1]} ${year}`;
}
