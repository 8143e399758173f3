// dsr web interface: signing in, the header, and the table of pages. Each
// page is a module with render(view); the page decides nothing about access
// itself — the table below says which roles may open it, the same roles the
// API allows, so a page a role may not see never fetches its data.
import {api, ApiError, get, whenSignedOut} from './api.js';
import {clear, field, h, notice, select} from './dom.js';
import {browserLanguage, currentLanguage, setLanguage, t} from './i18n.js';
import {describeError} from './widgets.js';
import * as admin from './page-admin.js';
import * as dpo from './page-dpo.js';
import * as lists from './page-lists.js';
import * as newRequest from './page-new-request.js';
import * as requestPage from './page-request.js';

const CASE_READERS = ['agent', 'dpo', 'auditor'];
const CASE_WORKERS = ['agent', 'dpo'];
const OVERSIGHT = ['dpo', 'auditor'];

const pages = [
  {pattern: /^\/requests$/, roles: CASE_READERS, href: '/requests', nav: 'nav.requests', render: lists.requests},
  {pattern: /^\/requests\/new$/, roles: CASE_WORKERS, href: '/requests/new',
   nav: 'nav.new_request',
   render: newRequest.render},
  {pattern: /^\/requests\/([^/]+)$/, roles: CASE_READERS, render: requestPage.render},
  {pattern: /^\/requests\/([^/]+)\/audit$/, roles: OVERSIGHT, render: dpo.auditTrail},
  {pattern: /^\/dashboard$/, roles: OVERSIGHT, href: '/dashboard', nav: 'nav.dashboard', render: dpo.dashboard},
  {pattern: /^\/holds$/, roles: CASE_WORKERS, href: '/holds', nav: 'nav.holds', render: lists.holds},
  {pattern: /^\/reports$/, roles: OVERSIGHT, href: '/reports', nav: 'nav.reports', render: dpo.reports},
  {pattern: /^\/record-of-processing$/, roles: ['dpo'], href: '/record-of-processing', nav: 'nav.record_of_processing',
   render: dpo.recordOfProcessing},
  {pattern: /^\/sources$/, roles: ['agent', 'dpo', 'admin'], href: '/sources', nav: 'nav.sources',
   render: lists.sources},
  {pattern: /^\/users$/, roles: ['admin'], href: '/users', nav: 'nav.users', render: admin.users},
];

const landing = {agent: '/requests', dpo: '/dashboard', auditor: '/dashboard', admin: '/users'};

let me = null;          // {name, role, language}
let leaveHandlers = [];  // run when the page is left (timers of auto-refresh)

function currentPath() {
  const hash = window.location.hash.replace(/^#/, '');
  return hash === '' ? '/' : hash;
}

export function navigate(path) {
  if (currentPath() === path) {
    route();
  } else {
    window.location.hash = `#${path}`;
  }
}

function leavePage() {
  for (const handler of leaveHandlers) handler();
  leaveHandlers = [];
}

function mainElement() {
  return document.getElementById('main');
}

// Moves focus to the new page's heading so keyboard and screen-reader users
// start reading there after every navigation.
function focusHeading(main) {
  const heading = main.querySelector('h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({preventScroll: false});
  document.title = `${heading.textContent} – dsr`;
}

function renderHeader() {
  const header = document.getElementById('top');
  if (!me) {
    clear(header, h('div', {class: 'brand'}, 'dsr'));
    return;
  }
  const path = currentPath();
  const links = pages.filter((page) => page.nav && page.roles.includes(me.role)).map((page) => {
    const current = path.split('?')[0] === page.href;
    return h('li', {}, h('a', {href: `#${page.href}`, 'aria-current': current ? 'page' : null,
                               text: t(page.nav)}));
  });
  const language = select([['de', 'Deutsch'], ['en', 'English']], currentLanguage());
  language.id = 'language-choice';
  language.addEventListener('change', () => chooseLanguage(language.value));
  const signOut = h('button', {type: 'button', class: 'secondary', onclick: signOutNow},
                    t('nav.sign_out'));
  clear(header,
        h('div', {class: 'brand'}, h('a', {href: `#${landing[me.role] || '/requests'}`}, 'dsr')),
        h('nav', {'aria-label': t('nav.main')}, h('ul', {}, links)),
        h('div', {class: 'session'},
          h('label', {for: language.id, class: 'inline-label', text: t('nav.language')}), language,
          h('span', {class: 'who', text: `${me.name} (${t(`role.${me.role}`)})`}), signOut));
}

async function chooseLanguage(code) {
  setLanguage(code);
  me.language = code;
  try {
    await api('PUT', '/api/v1/session/language', {language: code});
  } catch (failure) {
    // The page still switches; the choice is kept for this visit only.
  }
  renderHeader();
  route();
  document.getElementById('language-choice')?.focus();
}

async function signOutNow() {
  try {
    await api('DELETE', '/api/v1/session');
  } catch (failure) {
    // Signed out already or the session had ended: either way, sign in anew.
  }
  me = null;
  showLogin();
}

function showLogin(message) {
  leavePage();
  me = null;
  renderHeader();
  if (currentPath() !== '/login') history.replaceState(null, '', '#/login');
  const name = h('input', {id: 'login-name', name: 'username', autocomplete: 'username',
                           required: true});
  const password = h('input', {id: 'login-password', type: 'password', name: 'password',
                               autocomplete: 'current-password', required: true});
  const status = h('div', {class: 'form-status'});
  if (message) status.append(notice('info', message));
  const form = h('form', {class: 'card narrow', novalidate: true},
                 field(t('login.name'), name), field(t('login.password'), password),
                 status, h('button', {type: 'submit', class: 'primary'}, t('login.sign_in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    if (!name.value || !password.value) {
      status.append(notice('error', t('login.missing')));
      return;
    }
    try {
      await api('POST', '/api/v1/session', {name: name.value, password: password.value});
      await loadMe();
      navigate(landing[me.role] || '/requests');
    } catch (failure) {
      const text = failure.status === 401 ? t('login.wrong')
                 : failure.status === 429 ? t('login.throttled')
                 : t('error.generic', {message: failure.message});
      status.append(notice('error', text));
      password.value = '';
      password.focus();
    }
  });
  const main = mainElement();
  clear(main, h('h1', {}, t('login.title')), form);
  document.title = `${t('login.title')} – dsr`;
  name.focus();
}

async function loadMe() {
  me = await get('/api/v1/session');
  setLanguage(me.language || browserLanguage());
  renderHeader();
}

function notAllowed(main) {
  clear(main, h('h1', {}, t('page.not_allowed')),
        h('p', {}, t('page.not_allowed_text', {role: me.role})));
}

async function route() {
  leavePage();
  const main = mainElement();
  if (!me) {
    showLogin();
    return;
  }
  let path = currentPath();
  if (path === '/' || path === '/login') {
    path = landing[me.role] || '/requests';
    history.replaceState(null, '', `#${path}`);
  }
  renderHeader();
  const [pagePath, queryText] = path.split('?');
  for (const page of pages) {
    const match = pagePath.match(page.pattern);
    if (!match) continue;
    if (!page.roles.includes(me.role)) {
      notAllowed(main);
      focusHeading(main);
      return;
    }
    // Each visit draws into its own container: a page whose data arrives
    // after the user has moved on draws into a container no longer shown.
    const container = h('div', {class: 'page'});
    clear(main, container);
    container.append(h('p', {class: 'loading', role: 'status'}, t('page.loading')));
    const view = {
      main: container,
      me,
      params: match.slice(1).map(decodeURIComponent),
      query: new URLSearchParams(queryText || ''),
      navigate,
      onLeave: (handler) => leaveHandlers.push(handler),
      isCurrent: () => currentPath() === path,
    };
    try {
      await page.render(view);
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.status !== 401) {
        clear(container, h('h1', {}, t('page.error')),
              notice('error', failure instanceof ApiError ? describeError(failure)
                                                          : String(failure)));
      }
    }
    if (view.isCurrent()) focusHeading(main);
    return;
  }
  clear(main, h('h1', {}, t('page.not_found')), h('p', {}, t('page.not_found_text')));
  focusHeading(main);
}

async function start() {
  whenSignedOut(() => showLogin(t('login.expired')));
  window.addEventListener('hashchange', route);
  try {
    await loadMe();
  } catch (failure) {
    setLanguage(browserLanguage());
    showLogin();
    return;
  }
  route();
}

start();
