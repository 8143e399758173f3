// The DPO's pages: the dashboard (what needs attention, and the figures),
// reports for accountability, the record of processing with its warnings,
// and a request's audit trail.
import {get} from './api.js';
import {clear, field, h, notice, table} from './dom.js';
import {currentLanguage, formatDate, formatNumber, formatTime, label, t} from './i18n.js';
import {dateElement, deadlineBadge, effectiveDue, eventText, requestLink, statusBadge,
        subjectLine} from './widgets.js';

const ATTENTION = [
  ['overdue', 'deadline=overdue'],
  ['due_soon', 'deadline=due_soon'],
  ['paused', 'paused=true'],
  ['extended', 'extended=true'],
  ['failing', 'failing=true'],
];
const LIST_LIMIT = 20;
const ACCOUNT_EVENTS = 50;

function periodForm(view, path, extra = []) {
  const from = h('input', {type: 'date', id: 'period-from', value: view.query.get('from') || ''});
  const to = h('input', {type: 'date', id: 'period-to', value: view.query.get('to') || ''});
  const form = h('form', {class: 'filters', novalidate: true},
                 field(t('period.from'), from), field(t('period.to'), to), extra,
                 h('div', {class: 'actions'},
                   h('button', {type: 'submit', class: 'secondary'}, t('period.apply'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (from.value) query.set('from', from.value);
    if (to.value) query.set('to', to.value);
    for (const [name, control] of extra.map((e) => [e.dataset.name, e.querySelector('select')])) {
      if (name && control) query.set(name, control.value);
    }
    view.navigate(`${path}${query.toString() ? `?${query}` : ''}`);
  });
  return form;
}

function periodQuery(view) {
  const query = new URLSearchParams();
  for (const name of ['from', 'to']) {
    if (view.query.get(name)) query.set(name, view.query.get(name));
  }
  return query;
}

export async function dashboard(view) {
  const query = periodQuery(view);
  const [figures, ...lists] = await Promise.all([
    get(`/api/v1/dashboard${query.toString() ? `?${query}` : ''}`),
    ...ATTENTION.map(([, filter]) => get(`/api/v1/requests?${filter}&limit=${LIST_LIMIT}`)),
  ]);
  const counts = {overdue: figures.overdue, due_soon: figures.due_soon, paused: figures.paused,
                  extended: figures.extended,
                  failing: figures.failing_sources.reduce((sum, s) => sum + s.requests, 0)};
  const attention = ATTENTION.map(([key], index) => {
    const requests = lists[index].requests;
    const count = counts[key] ?? requests.length;
    const body = requests.length === 0
        ? h('p', {class: 'quiet'}, t(`dashboard.none_${key}`))
        : h('ul', {class: 'request-list'}, requests.map((request) => h('li', {},
              requestLink(request.id), ' ', h('span', {}, label('type', request.type)), ' · ',
              subjectLine(request.subject), ' · ', t('dashboard.due'), ' ',
              dateElement(effectiveDue(request)), ' ', deadlineBadge(request))));
    const more = count > requests.length
        ? h('p', {}, h('a', {href: `#/requests?deadline=${key}`},
                       t('dashboard.all', {count: formatNumber(count)})))
        : null;
    const extra = key === 'failing' && figures.failing_sources.length
        ? h('p', {}, t('dashboard.failing_sources', {sources: figures.failing_sources.map(
              (s) => `${s.source} (${s.failed_tasks})`).join(', ')}))
        : null;
    return h('section', {class: `card attention attention-${key}`,
                         'aria-labelledby': `attention-${key}`},
             h('h2', {id: `attention-${key}`}, t(`dashboard.${key}`), ' ',
               h('span', {class: 'count'}, formatNumber(count))),
             extra, body, more);
  });
  clear(view.main,
        h('h1', {}, t('dashboard.title')),
        h('p', {class: 'lead'}, t('dashboard.today', {date: formatDate(figures.today)})),
        h('div', {class: 'attention-grid'}, attention),
        h('section', {class: 'card', 'aria-labelledby': 'figures'},
          h('h2', {id: 'figures'}, t('dashboard.figures')),
          h('p', {}, t('dashboard.period', {from: formatDate(figures.period.from), to: formatDate(figures.period.to)})),
          periodForm(view, '/dashboard'),
          figuresList(figures)));
}

function figuresList(f) {
  const share = f.answered_on_time.share === null ? '–'
      : `${formatNumber(Math.round(f.answered_on_time.share * 1000) / 10)} %`;
  const byStatus = Object.entries(f.open.by_status || {})
      .map(([status, n]) => `${label('status', status)}: ${n}`).join(', ') || '–';
  const byType = Object.entries(f.open.by_type || {})
      .map(([type, n]) => `${label('type', type)}: ${n}`).join(', ') || '–';
  const item = (key, value) => h('div', {class: 'figure'}, h('dt', {}, t(`figures.${key}`)),
                                 h('dd', {class: typeof value === 'string' && /[a-zäöü]/i.test(value)
                                                  ? 'text' : null}, value));
  return h('dl', {class: 'figures'},
           item('open', formatNumber(f.open.total)), item('open_by_status', byStatus),
           item('open_by_type', byType), item('due_this_week', formatNumber(f.due_this_week)),
           item('answered', formatNumber(f.closed)), item('on_time', `${f.answered_on_time.count} (${share})`),
           item('late', formatNumber(f.late)), item('cancelled', formatNumber(f.cancelled)),
           item('median_days', f.handling_days.median ?? '–'),
           item('p95_days', f.handling_days.p95 ?? '–'),
           item('extended_in_period', formatNumber(f.extended_in_period)));
}

function languageChoice(value) {
  const choice = h('select', {id: 'document-language'},
                   h('option', {value: 'de', selected: value === 'de'}, 'Deutsch'),
                   h('option', {value: 'en', selected: value === 'en'}, 'English'));
  const wrap = field(t('reports.language'), choice);
  wrap.dataset.name = 'lang';
  return wrap;
}

export async function reports(view) {
  const language = view.query.get('lang') || currentLanguage();
  const query = periodQuery(view);
  const htmlQuery = new URLSearchParams(query);
  htmlQuery.set('lang', language);
  const html = `/api/v1/reports/requests.html?${htmlQuery}`;
  const csv = `/api/v1/reports/requests.csv${query.toString() ? `?${query}` : ''}`;
  // Fetch the figures first: a bad period is shown here, not inside the frame.
  const [figures, accounts] = await Promise.all([
    get(`/api/v1/dashboard${query.toString() ? `?${query}` : ''}`),
    get(`/api/v1/account-events?limit=${ACCOUNT_EVENTS}`),
  ]);
  clear(view.main,
        h('h1', {}, t('reports.title')),
        h('p', {class: 'lead'}, t('reports.lead')),
        periodForm(view, '/reports', [languageChoice(language)]),
        h('p', {}, t('dashboard.period', {from: formatDate(figures.period.from), to: formatDate(figures.period.to)})),
        h('p', {class: 'actions'},
          h('a', {class: 'button primary', href: html, target: '_blank', rel: 'noopener'},
            t('reports.open_html')),
          h('a', {class: 'button secondary', href: csv, download: ''}, t('reports.download_csv'))),
        h('iframe', {class: 'document', title: t('reports.frame'), sandbox: '', src: html}),
        accountChanges(accounts.events));
}

// Who changed which users and tokens: the admin's work, for accountability.
function accountChanges(events) {
  const rows = events.map((event) => [
    h('time', {datetime: event.at}, formatTime(event.at)), eventText(event), event.actor,
  ]);
  return h('section', {class: 'card', 'aria-labelledby': 'account-changes'},
           h('h2', {id: 'account-changes'}, t('reports.accounts')),
           h('p', {class: 'hint'}, t('reports.accounts_hint', {count: ACCOUNT_EVENTS})),
           rows.length ? table(t('reports.accounts'), [t('audit.at'), t('audit.kind'),
                                                       t('audit.actor')], rows)
                       : h('p', {}, t('reports.accounts_none')));
}

export async function recordOfProcessing(view) {
  const language = view.query.get('lang') || currentLanguage();
  const record = await get(`/api/v1/record-of-processing?format=json&lang=${language}`);
  const html = `/api/v1/record-of-processing?format=html&lang=${language}`;
  const csv = `/api/v1/record-of-processing?format=csv&lang=${language}`;
  const warnings = record.warnings.length === 0
      ? notice('success', t('rop.no_warnings'))
      : h('ul', {class: 'warnings'}, record.warnings.map((w) => h('li', {},
            h('strong', {}, w.source), ` (${w.path}): ${w.message}`)));
  const sources = table(t('rop.sources'), [t('sources.name'), t('rop.has_record')],
      record.sources.map((s) => [`${s.title} (${s.name})`,
                                 s.has_record ? t('rop.yes') : h('strong', {}, t('rop.no'))]));
  clear(view.main,
        h('h1', {}, t('rop.title')),
        h('p', {class: 'lead'}, t('rop.lead')),
        h('section', {class: 'card', 'aria-labelledby': 'rop-warnings'},
          h('h2', {id: 'rop-warnings'}, t('rop.warnings'), ' ',
            h('span', {class: 'count'}, String(record.warnings.length))),
          warnings),
        h('section', {class: 'card', 'aria-labelledby': 'rop-sources'},
          h('h2', {id: 'rop-sources'}, t('rop.sources')), sources,
          h('p', {class: 'actions'},
            h('a', {class: 'button secondary', href: html, target: '_blank', rel: 'noopener'},
              t('rop.open_html')),
            h('a', {class: 'button secondary', href: csv, download: ''}, t('rop.download_csv')))),
        h('iframe', {class: 'document', title: t('rop.frame'), sandbox: '', src: html}));
}

export async function auditTrail(view) {
  const id = view.params[0];
  const [request, answer] = await Promise.all([
    get(`/api/v1/requests/${encodeURIComponent(id)}`),
    get(`/api/v1/requests/${encodeURIComponent(id)}/events`),
  ]);
  const events = answer.events;
  // The links of the chain as the page sees them; the cryptographic check is
  // `dsrctl audit verify`, which knows the audit key.
  let broken = null;
  events.forEach((event, index) => {
    if (broken === null && index > 0 && event.prev_hash !== events[index - 1].hash) broken = event.seq;
  });
  const rows = events.map((event) => [
    String(event.seq), h('time', {datetime: event.at}, formatTime(event.at)),
    h('span', {}, eventText(event), h('br'), h('code', {class: 'quiet'}, event.kind)),
    event.actor || '–',
    h('code', {class: 'break'}, JSON.stringify(event.details)),
    h('code', {title: event.hash}, (event.hash || '').slice(0, 12)),
  ]);
  clear(view.main,
        h('h1', {}, t('audit.title')),
        h('p', {class: 'lead'}, t('audit.lead', {id: request.id}), ' ',
          statusBadge(request.status)),
        broken === null ? notice('success', t('audit.linked', {count: events.length}))
                        : notice('error', t('audit.broken', {seq: broken})),
        table(t('audit.title'), [t('audit.seq'), t('audit.at'), t('audit.kind'), t('audit.actor'),
                                 t('audit.details'), t('audit.hash')], rows, 'audit'),
        h('p', {}, h('a', {href: `#/requests/${encodeURIComponent(id)}`}, t('audit.back'))));
}
