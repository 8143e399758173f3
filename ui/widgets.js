// Pieces several pages show the same way: deadlines, statuses, request links.
import {h} from './dom.js';
import {formatDate, label, t} from './i18n.js';

export function dateElement(iso) {
  if (!iso) return '–';
  return h('time', {datetime: iso}, formatDate(iso));
}

// The date the request must be answered by: the extended one once extended.
export function effectiveDue(request) {
  return request.extended_due_on || request.due_on;
}

export function deadlineBadge(request) {
  const deadline = request.deadline;
  if (!deadline) return h('span', {class: 'badge badge-closed'}, label('status', request.status));
  const days = deadline.days_left;
  const text = deadline.clock === 'paused' ? t('deadline.paused', {days})
             : days < 0 ? t('deadline.overdue', {days: -days})
             : days === 0 ? t('deadline.today')
             : t('deadline.days_left', {days});
  return h('span', {class: `badge badge-${deadline.clock === 'paused' ? 'paused' : deadline.state}`},
           text);
}

export function statusBadge(status) {
  return h('span', {class: `badge status-${status}`}, label('status', status));
}

// Ids are UUIDs: the link shows their first eight characters, its
// accessible name and tooltip are the whole id.
export function requestLink(id) {
  const short = id.length > 12 ? `${id.slice(0, 8)}…` : id;
  return h('a', {href: `#/requests/${encodeURIComponent(id)}`, 'aria-label': id, title: id,
                 class: 'request-id'}, short);
}

// Who the request is about, in one line (agents and the DPO only; the
// auditor's list has no subject).
export function subjectLine(subject) {
  if (!subject) return '–';
  return subject.email || subject.name || subject.customer_id || subject.phone ||
         subject.ip_address || '–';
}

// What went wrong with a call, for the person who made it.
export function describeError(failure) {
  if (failure.status === 0) return t('error.unreachable');
  if (failure.status === 403) return t('error.forbidden', {message: failure.message});
  if (failure.status === 404) return t('error.not_found');
  if (failure.status === 410) return t('error.purged');
  return failure.message;
}

// The next step in two or three words, for lists.
export function nextShort(request) {
  if (request.paused) return t('short.paused');
  if (request.status === 'in_review' && request.approved_at) return t('short.sealing');
  return t(`short.${request.status}`);
}

// An audit event in plain words ("crm answered"), or its kind when unknown.
export function eventText(event) {
  const details = event.details || {};
  const text = t(`event.${event.kind}`, {
    source: details.source || '', user: details.user || '', role: details.role || '',
    token: details.token_id || ''});
  return text === `event.${event.kind}` ? event.kind : text;
}
