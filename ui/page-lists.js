// Lists: the requests (filters, search, pages), the retention holds and the
// sources with their workers.
import {get} from './api.js';
import {clear, field, h, notice, select, table} from './dom.js';
import {formatTime, label, t} from './i18n.js';
import {dateElement, deadlineBadge, effectiveDue, nextShort, requestLink, statusBadge,
        subjectLine} from './widgets.js';

const PAGE_SIZE = 50;
const STATUSES = ['received', 'awaiting_identity', 'in_progress', 'in_review', 'completed',
                  'rejected', 'cancelled'];
const DEADLINES = ['overdue', 'due_soon', 'on_track', 'paused', 'extended', 'failing'];

export async function requests(view) {
  const query = view.query;
  const status = select([['', t('list.any')]].concat(STATUSES.map((s) => [s, label('status', s)])),
                        query.get('status') || '');
  status.id = 'filter-status';
  const deadline = select(
      [['', t('list.any')]].concat(DEADLINES.map((d) => [d, t(`list.deadline_${d}`)])),
      query.get('deadline') || '');
  deadline.id = 'filter-deadline';
  const search = h('input', {id: 'filter-search', type: 'search', value: query.get('q') || '',
                             maxlength: 200});
  const offset = Number(query.get('offset') || 0);

  const apply = (newOffset = 0) => {
    const next = new URLSearchParams();
    if (status.value) next.set('status', status.value);
    if (deadline.value) next.set('deadline', deadline.value);
    if (search.value.trim()) next.set('q', search.value.trim());
    if (newOffset) next.set('offset', String(newOffset));
    const text = next.toString();
    view.navigate(`/requests${text ? `?${text}` : ''}`);
  };
  const form = h('form', {class: 'filters', role: 'search'},
      field(t('list.status'), status), field(t('list.deadline'), deadline),
      field(t('list.search'), search, t('list.search_hint')),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'secondary'}, t('list.apply'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(0);
  });
  status.addEventListener('change', () => apply(0));
  deadline.addEventListener('change', () => apply(0));

  const api = new URLSearchParams({limit: String(PAGE_SIZE + 1), offset: String(offset)});
  if (status.value) api.set('status', status.value);
  if (['overdue', 'due_soon', 'on_track'].includes(deadline.value)) api.set('deadline', deadline.value);
  if (['paused', 'extended', 'failing'].includes(deadline.value)) api.set(deadline.value, 'true');
  if (search.value.trim()) api.set('q', search.value.trim());
  const answer = await get(`/api/v1/requests?${api}`);
  const items = answer.requests.slice(0, PAGE_SIZE);
  const more = answer.requests.length > PAGE_SIZE;

  const rows = items.map((request) => [
    requestLink(request.id), label('type', request.type), statusBadge(request.status),
    subjectLine(request.subject), dateElement(request.received_on),
    dateElement(effectiveDue(request)), deadlineBadge(request), nextShort(request),
  ]);
  const pager = h('div', {class: 'pager'},
      offset > 0 ? h('button', {type: 'button', class: 'secondary',
                                onclick: () => apply(Math.max(0, offset - PAGE_SIZE))},
                     t('list.previous')) : null,
      more ? h('button', {type: 'button', class: 'secondary',
                          onclick: () => apply(offset + PAGE_SIZE)}, t('list.next')) : null);
  const newLink = view.me.role === 'auditor' ? null
      : h('a', {class: 'button primary', href: '#/requests/new'}, t('nav.new_request'));
  clear(view.main, h('div', {class: 'page-head'}, h('h1', {}, t('list.title')), newLink), form,
        items.length === 0 ? notice('info', t('list.empty'))
            : table(t('list.title'), [t('list.id'), t('list.type'), t('list.status'),
                                      t('list.subject'), t('list.received'), t('list.due'),
                                      t('list.deadline'), t('list.next_step')], rows),
        pager);
}

export async function holds(view) {
  const status = select([['active', t('holds.active')], ['ended', t('holds.ended')],
                         ['', t('list.any')]], view.query.get('status') ?? 'active');
  status.id = 'holds-status';
  status.addEventListener('change', () => {
    view.navigate(`/holds${status.value ? `?status=${status.value}` : '?status='}`);
  });
  const query = status.value ? `?status=${encodeURIComponent(status.value)}` : '';
  const answer = await get(`/api/v1/holds${query}`);
  const rows = answer.holds.map((hold) => [
    requestLink(hold.request_id), hold.source, hold.collection, String(hold.records),
    dateElement(hold.retained_until), hold.legal_basis, label('hold', hold.status),
    hold.follow_up_request_id ? requestLink(hold.follow_up_request_id) : '–',
  ]);
  clear(view.main, h('h1', {}, t('holds.title')), h('p', {class: 'lead'}, t('holds.lead')),
        h('div', {class: 'filters'}, field(t('list.status'), status)),
        rows.length === 0 ? notice('info', t('holds.empty'))
            : table(t('holds.title'), [t('holds.request'), t('holds.source'),
                                       t('holds.collection'), t('holds.records'),
                                       t('holds.until'), t('holds.legal_basis'),
                                       t('list.status'), t('holds.follow_up')], rows));
}

export async function sources(view) {
  const answer = await get('/api/v1/sources');
  const list = answer.sources || [];
  const rows = list.map((source) => {
    const workers = source.workers || [];
    return [
      h('span', {}, h('strong', {}, source.title || source.name), h('br'), source.name),
      source.connector,
      workers.length ? h('span', {class: 'badge badge-on_track'}, t('sources.connected'))
                     : h('span', {class: 'badge badge-overdue'}, t('sources.no_worker')),
      workers.map((w) => `${w.name} (${t('sources.in_flight', {count: w.tasks_in_flight})})`)
          .join(', ') || '–',
      workers.length ? formatTime(workers[0].connected_at) : '–',
    ];
  });
  clear(view.main, h('h1', {}, t('sources.title')), h('p', {class: 'lead'}, t('sources.lead')),
        rows.length === 0 ? notice('info', t('sources.empty'))
            : table(t('sources.title'), [t('sources.name'), t('sources.connector'),
                                         t('list.status'), t('sources.workers'),
                                         t('sources.connected_at')], rows));
}
