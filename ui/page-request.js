// One request, step by step: what to do next, the deadline, the identity
// check, each source's task, what was found (with redaction), the answer
// (letter preview, approval, bundle) and the timeline. The page refreshes
// itself while dsr works (sources running, answer being sealed).
import {get, post} from './api.js';
import {clear, field, h, notice, select, setFieldError, table} from './dom.js';
import {formatNumber, formatTime, label, t} from './i18n.js';
import {openRedaction} from './redaction.js';
import {dateElement, deadlineBadge, describeError, eventText, statusBadge} from './widgets.js';

const REFRESH_MS = 2000;
const RECORDS_PAGE = 200;
const OPEN = ['received', 'awaiting_identity', 'in_progress', 'in_review'];

export async function render(view) {
  const id = view.params[0];
  let timer = null;
  view.onLeave(() => clearTimeout(timer));
  const state = {id, view, recordsShown: RECORDS_PAGE, previewLanguage: null, message: null};

  const reload = async () => {
    clearTimeout(timer);
    if (!view.isCurrent()) return;
    const request = await get(`/api/v1/requests/${encodeURIComponent(id)}`);
    // An auditor's view of a request is its metadata: no tasks, holds or
    // identity checks; the timeline comes from the audit trail.
    for (const list of ['tasks', 'holds', 'identity_checks', 'events']) {
      request[list] = request[list] || [];
    }
    if (view.me.role === 'auditor') {
      request.events = (await get(`/api/v1/requests/${encodeURIComponent(id)}/events`)).events;
    }
    const canWork = view.me.role === 'agent' || view.me.role === 'dpo';
    let records = null;
    if (canWork && hasRecords(request)) {
      records = await get(`/api/v1/requests/${encodeURIComponent(id)}/records?limit=${state.recordsShown}`);
    }
    if (!view.isCurrent()) return;
    draw(state, request, records, reload);
    if (stillWorking(request)) {
      timer = setTimeout(() => refreshWhenIdle(reload), REFRESH_MS);
    }
  };
  state.reload = reload;
  await reload();
}

// Refreshes unless the user is typing or a dialog is open; then tries later.
function refreshWhenIdle(reload) {
  const active = document.activeElement;
  const busy = document.querySelector('dialog[open]') ||
               (active && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName) &&
                active.id !== 'language-choice');
  if (busy) {
    setTimeout(() => refreshWhenIdle(reload), REFRESH_MS);
    return;
  }
  reload().catch(() => setTimeout(() => refreshWhenIdle(reload), REFRESH_MS * 2));
}

function stillWorking(request) {
  return request.status === 'received' || request.status === 'in_progress' ||
         (request.status === 'in_review' && request.approved_at) ||
         request.tasks.some((task) => ['pending', 'dispatched', 'running'].includes(task.status));
}

function hasRecords(request) {
  return request.tasks.some((task) => task.action === 'export' && task.records) ||
         request.tasks.some((task) => task.records > 0);
}

function draw(state, request, records, reload) {
  const {view} = state;
  const role = view.me.role;
  const section = (key, ...content) =>
      h('section', {class: 'card', 'aria-labelledby': `section-${key}`},
        h('h2', {id: `section-${key}`}, t(`request.${key}`)), content);
  const main = view.main;
  const live = h('div', {class: 'visually-hidden', role: 'status', 'aria-live': 'polite'},
                 t('request.status_now', {status: label('status', request.status)}));
  // While the identity check or a pause is the next step, its form leads.
  const identity = role === 'auditor' ? null : identitySection(state, request, section);
  const identityFirst = request.status === 'awaiting_identity' || request.paused;
  clear(main,
        h('h1', {}, t('request.title', {id: request.id})), live,
        state.message ? notice(state.message.kind, state.message.text) : null,
        h('div', {class: 'request-layout'},
          h('div', {class: 'request-main'},
            section('next_step', h('p', {class: 'next-step'}, nextStep(request, role))),
            identityFirst ? identity : null,
            role === 'auditor' ? null : section('sources', sources(state, request)),
            records ? section('found', found(state, request, records)) : null,
            role === 'auditor' ? null : section('answer', answer(state, request))),
          h('div', {class: 'request-side'},
            section('about', summary(request)),
            section('deadline', deadline(state, request)),
            identityFirst ? null : identity,
            request.holds.length ? section('holds', holdsTable(request)) : null,
            section('timeline', timeline(request)),
            ['dpo', 'auditor'].includes(role)
                ? h('p', {}, h('a', {href: `#/requests/${encodeURIComponent(request.id)}/audit`},
                               t('request.audit_link')))
                : null)));
  state.message = null;
}

function summary(request) {
  const item = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
  return h('dl', {class: 'summary'},
           item(t('request.type'), label('type', request.type)),
           item(t('request.status'), statusBadge(request.status)),
           request.subject ? item(t('request.subject'), subjectDetails(request.subject)) : null,
           item(t('request.received_on'), dateElement(request.received_on)),
           item(t('request.channel'), request.channel ? label('channel', request.channel) : '–'),
           item(t('request.language'), label('language', request.language)),
           request.note ? item(t('request.note'), request.note) : null,
           request.corrections ? item(t('request.corrections'), correctionsText(request.corrections))
                               : null,
           request.follow_up_of ? item(t('request.follow_up_of'),
                                       h('a', {href: `#/requests/${request.follow_up_of}`},
                                         request.follow_up_of))
                                : null);
}

function subjectDetails(subject) {
  return Object.entries(subject).map(([kind, value]) => `${label('identity', kind)}: ${value}`)
      .join(' · ');
}

function correctionsText(corrections) {
  return Object.entries(corrections).map(([attribute, value]) =>
      `${label('identity', attribute)} → ${typeof value === 'object'
          ? Object.values(value).join(' ') : value}`).join(' · ');
}

// The one thing to do now, in plain words, for this role.
function nextStep(request, role) {
  if (request.paused) return t('next.paused');
  const failed = request.tasks.filter((task) => task.status === 'failed');
  switch (request.status) {
    case 'received':
      return t('next.received');
    case 'awaiting_identity':
      return t('next.identity');
    case 'in_progress':
      if (failed.length) return t('next.failed', {sources: failed.map((f) => f.source).join(', ')});
      return t('next.wait');
    case 'in_review': {
      if (request.approved_at) return t('next.sealing');
      const holds = request.holds.some((hold) => hold.status === 'active');
      if (holds && role !== 'dpo') return t('next.review_dpo');
      return request.type === 'access' ? t('next.review_access') : t('next.review_change');
    }
    case 'completed':
      return request.bundle ? t('next.send_bundle') : t('next.send_letter');
    case 'rejected':
      return t('next.rejected');
    case 'cancelled':
      return t('next.cancelled');
    default:
      return t('next.none');
  }
}

function deadline(state, request) {
  const rows = [h('dt', {}, t('request.due_on')), h('dd', {}, dateElement(request.due_on))];
  if (request.extended_due_on) {
    rows.push(h('dt', {}, t('request.extended_due_on')),
              h('dd', {class: 'extended'}, dateElement(request.extended_due_on)));
    if (request.extension?.reason) {
      rows.push(h('dt', {}, t('request.extension_reason')), h('dd', {}, request.extension.reason));
    }
    if (request.extension?.letter) {
      rows.push(h('dt', {}, t('request.extension_letter')),
                h('dd', {}, h('a', {href: request.extension.letter.url, download: ''},
                                  t('request.open_letter'))));
    }
  }
  if (request.paused_days) {
    rows.push(h('dt', {}, t('request.paused_days')), h('dd', {}, String(request.paused_days)));
  }
  const content = [h('dl', {class: 'summary'}, rows),
                   h('p', {}, deadlineBadge(request))];
  const open = OPEN.includes(request.status);
  if (state.view.me.role === 'dpo' && open && !request.extended_due_on) {
    content.push(extendForm(state, request));
  }
  return content;
}

// A form that opens from a button: the button says what it does; the form
// asks what the action needs. Returns the toggle and the form.
function disclosure(buttonText, build) {
  const box = h('div', {class: 'disclosure', hidden: true});
  const toggle = h('button', {type: 'button', class: 'secondary', 'aria-expanded': 'false'},
                   buttonText);
  toggle.addEventListener('click', () => {
    const opening = box.hidden;
    box.hidden = !opening;
    toggle.setAttribute('aria-expanded', String(opening));
    if (opening) {
      if (!box.firstChild) box.append(build(() => toggle.click()));
      box.querySelector('input, textarea, select')?.focus();
    }
  });
  return h('div', {class: 'disclosure-wrap'}, toggle, box);
}

// Runs an action of the API; shows its failure in `status` or reloads.
async function act(state, status, button, call, doneText) {
  clear(status);
  button.disabled = true;
  try {
    await call();
    state.message = doneText ? {kind: 'success', text: doneText} : null;
    await state.reload();
  } catch (failure) {
    button.disabled = false;
    status.append(notice('error', describeError(failure)));
  }
}

function reasonForm(state, {reasonLabel, submitText, minLength = 3, extra = [], call, doneText}) {
  const reason = h('textarea', {rows: 3, minlength: minLength, maxlength: 4000, required: true});
  const status = h('div', {class: 'form-status'});
  const submit = h('button', {type: 'submit', class: 'primary'}, submitText);
  const form = h('form', {novalidate: true}, extra.map(([text, control]) => field(text, control)),
                 field(reasonLabel, reason), status, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clear(status);
    const text = reason.value.trim();
    if (text.length < minLength) {
      setFieldError(reason, t('form.reason_short', {count: minLength}));
      reason.focus();
      return;
    }
    act(state, status, submit, () => call(text), doneText);
  });
  return form;
}

function extendForm(state, request) {
  return disclosure(t('request.extend'), () => reasonForm(state, {
    reasonLabel: t('request.extend_reason'),
    submitText: t('request.extend_submit'),
    call: (reason) => post(`/api/v1/requests/${request.id}/extend`, {reason}),
    doneText: t('request.extended_done'),
  }));
}

function identitySection(state, request, section) {
  const parts = [];
  const status = h('div', {class: 'form-status'});
  if (request.status === 'awaiting_identity') {
    const method = select(['email_reply', 'customer_login', 'id_document', 'callback', 'in_person',
                           'other'].map((m) => [m, label('method', m)]), 'email_reply');
    const note = h('textarea', {rows: 2, maxlength: 2000});
    const record = (outcome, button) => act(state, status, button, () => {
      const body = {method: method.value, outcome};
      if (note.value.trim()) body.note = note.value.trim();
      return post(`/api/v1/requests/${request.id}/identity`, body);
    }, outcome === 'confirmed' ? t('identity.confirmed_done') : t('identity.failed_done'));
    const confirmed = h('button', {type: 'button', class: 'primary'}, t('identity.confirmed'));
    const failed = h('button', {type: 'button', class: 'danger'}, t('identity.failed'));
    confirmed.addEventListener('click', () => record('confirmed', confirmed));
    failed.addEventListener('click', () => record('failed', failed));
    parts.push(h('p', {}, t('identity.explain')), field(t('identity.method'), method),
               field(t('identity.note'), note), status,
               h('div', {class: 'actions'}, confirmed, failed));
  }
  for (const check of request.identity_checks) {
    parts.push(h('p', {}, t('identity.checked', {
      outcome: label('outcome', check.outcome), method: label('method', check.method),
      actor: check.actor, at: formatTime(check.at)})));
  }
  if (OPEN.includes(request.status)) {
    if (request.paused) {
      const resume = h('button', {type: 'button', class: 'primary'}, t('pause.resume'));
      const resumeStatus = h('div', {class: 'form-status'});
      resume.addEventListener('click', () => act(state, resumeStatus, resume,
          () => post(`/api/v1/requests/${request.id}/resume`, {}), t('pause.resumed_done')));
      parts.push(h('p', {}, t('pause.paused_since', {date: request.paused_since})), resumeStatus,
                 resume);
    } else {
      parts.push(disclosure(t('pause.pause'), () => reasonForm(state, {
        reasonLabel: t('pause.reason'),
        submitText: t('pause.submit'),
        call: (reason) => post(`/api/v1/requests/${request.id}/pause`, {reason}),
        doneText: t('pause.paused_done'),
      })));
    }
  }
  if (!parts.length) return null;
  return section('identity', parts);
}

function sources(state, request) {
  if (!request.tasks.length) {
    return h('p', {}, request.status === 'awaiting_identity' ? t('sources.after_identity')
                                                             : t('sources.none_yet'));
  }
  const canWork = state.view.me.role === 'agent' || state.view.me.role === 'dpo';
  const rows = request.tasks.map((task) => {
    const status = h('div', {class: 'form-status'});
    let retry = null;
    if (canWork && task.status === 'failed' && OPEN.includes(request.status)) {
      retry = h('button', {type: 'button', class: 'secondary'}, t('sources.retry'));
      retry.addEventListener('click', () => act(state, status, retry,
          () => post(`/api/v1/requests/${request.id}/tasks/${task.id}/retry`, {}),
          t('sources.retried')));
    }
    const outcomes = task.outcomes.map((o) => h('li', {}, t('sources.outcome', {
      collection: o.collection, outcome: label('outcome', o.outcome), records: o.records,
      until: o.retained_until ? t('sources.until', {date: o.retained_until}) : ''})));
    return [
      task.source, label('action', task.action),
      h('span', {class: `badge task-${task.status}`}, label('task', task.status)),
      task.records === null || task.records === undefined ? '–' : formatNumber(task.records),
      h('div', {}, outcomes.length ? h('ul', {class: 'plain'}, outcomes) : null,
        task.error ? h('p', {class: 'error-text'}, task.error.message || task.error.code) : null,
        retry, status),
    ];
  });
  return table(t('request.sources'), [t('sources.source'), t('sources.action'),
                                      t('list.status'), t('sources.records'),
                                      t('sources.details')], rows);
}

const MAX_COLUMNS = 8;
const MAX_CELL = 80;

function found(state, request, records) {
  const editable = request.status === 'in_review' && !request.approved_at &&
                   (state.view.me.role === 'agent' || state.view.me.role === 'dpo');
  if (!records.records.length) return h('p', {}, t('found.nothing'));
  const groups = new Map();
  for (const record of records.records) {
    const key = `${record.source} / ${record.collection}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(record);
  }
  const parts = [h('p', {class: 'hint'}, editable ? t('found.explain') : t('found.read_only'))];
  if (records.total > records.records.length) {
    parts.push(h('p', {}, t('found.partial', {shown: records.records.length, total: records.total})));
  }
  let first = true;
  for (const [name, items] of groups) {
    const uncertain = items.filter((r) => r.match === 'ambiguous' && !r.decision).length;
    const decided = items.filter((r) => r.decision).length;
    const open = first || uncertain > 0 || decided > 0 || state.openGroups?.has(name);
    first = false;
    const group = h('details', {class: 'records-group', open},
        h('summary', {}, h('span', {class: 'group-name'}, name), ' ',
          t('found.group_summary', {count: items.length}),
          uncertain ? h('span', {class: 'badge badge-due_soon'},
                        t('found.group_uncertain', {count: uncertain})) : null,
          decided ? h('span', {class: 'badge'}, t('found.group_decided', {count: decided})) : null),
        recordsTable(state, request, name, items, editable));
    group.addEventListener('toggle', () => {
      state.openGroups = state.openGroups || new Set();
      if (group.open) state.openGroups.add(name); else state.openGroups.delete(name);
    });
    parts.push(group);
  }
  if (records.total > records.records.length) {
    const more = h('button', {type: 'button', class: 'secondary'}, t('found.more'));
    more.addEventListener('click', () => {
      state.recordsShown += RECORDS_PAGE;
      state.reload();
    });
    parts.push(more);
  }
  return parts;
}

// One collection's records as rows, their fields as columns (the first few;
// the whole record is in the redaction dialog).
function recordsTable(state, request, name, items, editable) {
  const columns = [];
  for (const record of items) {
    if (!record.record || typeof record.record !== 'object') continue;
    for (const key of Object.keys(record.record)) {
      if (!columns.includes(key) && columns.length < MAX_COLUMNS) columns.push(key);
    }
  }
  const rows = items.map((record) => {
    const decision = record.decision;
    let cell = record.match === 'ambiguous' ? h('span', {class: 'badge badge-due_soon'},
                                                t('found.uncertain'))
                                            : t('found.confirmed');
    if (decision) {
      const what = decision.decision === 'redact_fields'
          ? t('found.fields_withheld', {fields: decision.fields.join(', ')})
          : decision.decision === 'exclude' ? t('found.withheld') : t('found.included');
      cell = h('span', {}, h('strong', {}, what), ` — ${decision.reason}`);
    }
    let button = null;
    if (editable) {
      button = h('button', {type: 'button', class: 'secondary small',
                            'aria-label': `${record.match === 'ambiguous' ? t('found.decide')
                                                                          : t('found.redact')} ${name} ${record.line}`},
                 record.match === 'ambiguous' ? t('found.decide') : t('found.redact'));
      button.addEventListener('click', () => openRedaction(record, request.id, async () => {
        state.message = {kind: 'success', text: t('found.saved')};
        await state.reload();
      }, button));
    }
    const values = columns.map((column) => valueText(record.record?.[column]));
    return [String(record.line), cell, button, ...values];
  });
  return table(name, [t('found.line'), t('found.decision'), '', ...columns], rows, 'records');
}

function valueText(value) {
  if (value === null || value === undefined) return '–';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.length <= MAX_CELL) return text;
  return h('span', {title: text}, `${text.slice(0, MAX_CELL - 1)}…`);
}

function holdsTable(request) {
  return table(t('request.holds'), [t('holds.source'), t('holds.collection'), t('holds.records'),
                                    t('holds.until'), t('holds.legal_basis'), t('list.status')],
               request.holds.map((hold) => [hold.source, hold.collection, String(hold.records),
                                            dateElement(hold.retained_until), hold.legal_basis,
                                            label('hold', hold.status)]));
}

function answer(state, request) {
  const parts = [];
  const id = encodeURIComponent(request.id);
  const reviewable = request.status === 'in_review' && !request.approved_at;
  if (reviewable || request.status === 'completed' || request.status === 'rejected') {
    parts.push(letterPreview(state, request));
  }
  const keepsHeldData = request.holds.some((hold) => hold.status === 'active');
  if (reviewable && keepsHeldData && state.view.me.role !== 'dpo') {
    parts.push(notice('info', t('next.review_dpo')));
  } else if (reviewable) {
    const status = h('div', {class: 'form-status'});
    const approve = h('button', {type: 'button', class: 'primary'}, t('answer.approve'));
    approve.addEventListener('click', () => act(state, status, approve,
        () => post(`/api/v1/requests/${id}/approve`, {}), t('answer.approved_done')));
    parts.push(h('p', {}, request.type === 'access' ? t('answer.approve_access')
                          : keepsHeldData ? t('answer.approve_holds')
                                          : t('answer.approve_change')),
               status, h('div', {class: 'actions'}, approve));
  }
  if (request.bundle) {
    parts.push(h('p', {class: 'actions'},
                 h('a', {class: 'button primary', href: request.bundle.url, download: ''},
                   t('answer.download')),
                 request.letter ? h('a', {class: 'button secondary', href: request.letter.url,
                                          download: ''}, t('answer.letter'))
                                : null),
               h('p', {class: 'hint'}, t('answer.bundle_size', {
                 size: formatNumber(Math.ceil(request.bundle.bytes / 1024)),
                 sha: request.bundle.sha256.slice(0, 16)})),
               deliveryForm(state, request));
  } else if (request.letter) {
    parts.push(h('p', {}, h('a', {class: 'button secondary', href: request.letter.url,
                                  download: ''}, t('answer.letter'))));
  }
  if (OPEN.includes(request.status) && !request.approved_at) {
    if (state.view.me.role === 'dpo') {
      const ground = select(['manifestly_unfounded', 'excessive', 'identity_not_established',
                             'other'].map((g) => [g, label('ground', g)]), 'manifestly_unfounded');
      parts.push(disclosure(t('answer.refuse'), () => reasonForm(state, {
        reasonLabel: t('answer.refuse_reason'), submitText: t('answer.refuse_submit'),
        extra: [[t('answer.ground'), ground]],
        call: (reason) => post(`/api/v1/requests/${id}/reject`, {ground: ground.value, reason}),
        doneText: t('answer.refused_done'),
      })));
    }
    parts.push(disclosure(t('answer.cancel'), () => reasonForm(state, {
      reasonLabel: t('answer.cancel_reason'), submitText: t('answer.cancel_submit'),
      call: (reason) => post(`/api/v1/requests/${id}/cancel`, {reason}),
      doneText: t('answer.cancelled_done'),
    })));
  }
  if (!parts.length) parts.push(h('p', {}, t('answer.not_yet')));
  return parts;
}

function letterPreview(state, request) {
  const id = encodeURIComponent(request.id);
  const language = state.previewLanguage || request.language;
  const frame = h('iframe', {title: t('answer.preview_title'), sandbox: '', class: 'letter',
                             src: `/api/v1/requests/${id}/letter-preview?lang=${language}`});
  const buttons = [['de', 'Deutsch'], ['en', 'English']].map(([code, text]) => {
    const button = h('button', {type: 'button', class: 'toggle', lang: code,
                                'aria-pressed': String(code === language)}, text);
    button.addEventListener('click', () => {
      state.previewLanguage = code;
      frame.src = `/api/v1/requests/${id}/letter-preview?lang=${code}`;
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === button));
    });
    return button;
  });
  return h('div', {class: 'preview'},
           h('h3', {}, t('answer.preview')),
           h('div', {class: 'toggles', role: 'group', 'aria-label': t('answer.preview_language')},
             buttons),
           frame);
}

function deliveryForm(state, request) {
  const days = h('input', {type: 'number', min: 1, max: 30, value: 14});
  const code = h('input', {type: 'checkbox', checked: true});
  code.id = 'delivery-code';
  const status = h('div', {class: 'form-status'});
  const submit = h('button', {type: 'submit', class: 'secondary'}, t('delivery.create'));
  const form = h('form', {novalidate: true, class: 'inline-form'},
                 field(t('delivery.days'), days),
                 h('div', {class: 'field checkbox'}, code,
                   h('label', {for: code.id}, t('delivery.code'))),
                 submit, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 30) {
      status.append(notice('error', t('delivery.days_range')));
      days.focus();
      return;
    }
    submit.disabled = true;
    try {
      const link = await post(`/api/v1/requests/${encodeURIComponent(request.id)}/delivery`,
                              {expires_in_days: n, one_time_code: code.checked});
      status.append(h('div', {class: 'notice notice-success', role: 'status'},
          h('p', {}, t('delivery.made', {until: formatTime(link.expires_at)})),
          h('p', {}, h('code', {class: 'break'}, link.url)),
          link.one_time_code ? h('p', {}, t('delivery.code_is'), ' ',
                                 h('code', {}, link.one_time_code)) : null,
          h('p', {class: 'hint'}, t('delivery.separately'))));
    } catch (failure) {
      status.append(notice('error', describeError(failure)));
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', {}, h('summary', {}, t('delivery.title')), form);
}

function timeline(request) {
  if (!request.events.length) return h('p', {}, '–');
  return h('ol', {class: 'timeline'}, request.events.map((event) => h('li', {},
      h('time', {datetime: event.at}, formatTime(event.at)), ' ',
      h('span', {}, eventText(event)),
      event.actor ? h('span', {class: 'actor'}, ` — ${event.actor}`) : null)));
}

