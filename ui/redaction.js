// The dialog to withhold a record, or some of its fields, with a reason; and
// for an uncertain match, to say whether it is the data subject's. A native
// <dialog> keeps focus inside while open and gives it back on close.
import {post} from './api.js';
import {clear, field, h, notice, setFieldError} from './dom.js';
import {t} from './i18n.js';
import {describeError} from './widgets.js';

export function openRedaction(record, requestId, onSaved, opener) {
  const ambiguous = record.match === 'ambiguous';
  const fields = record.record && typeof record.record === 'object' ? Object.keys(record.record) : [];
  const choices = ambiguous
      ? [['include', t('redact.include')], ['exclude', t('redact.not_theirs')]]
      : [['exclude', t('redact.whole')], ['redact_fields', t('redact.some')]];
  const radios = choices.map(([value, text], index) => {
    const radio = h('input', {type: 'radio', name: 'redact-decision', value,
                              id: `redact-${value}`, checked: index === 0});
    return h('div', {class: 'choice'}, radio, h('label', {for: radio.id}, text));
  });
  const fieldBoxes = fields.map((name) => {
    const box = h('input', {type: 'checkbox', value: name, id: `redact-field-${name}`});
    return h('div', {class: 'choice'}, box, h('label', {for: box.id}, name));
  });
  const fieldSet = h('fieldset', {class: 'group', hidden: true},
                     h('legend', {}, t('redact.which_fields')), fieldBoxes);
  const reason = h('textarea', {id: 'redact-reason', rows: 3, maxlength: 2000, required: true});
  const status = h('div', {class: 'form-status'});
  const save = h('button', {type: 'submit', class: 'primary'}, t('redact.save'));
  const cancel = h('button', {type: 'button', class: 'secondary'}, t('redact.cancel'));
  const titleId = 'redact-title';
  const form = h('form', {method: 'dialog', novalidate: true},
      h('h2', {id: titleId}, ambiguous ? t('redact.title_uncertain') : t('redact.title')),
      h('p', {class: 'hint'}, t('redact.record', {source: record.source,
                                                  collection: record.collection,
                                                  line: record.line})),
      fullRecord(record.record),
      h('fieldset', {class: 'group'}, h('legend', {}, t('redact.what')), radios),
      fieldSet,
      field(t('redact.reason'), reason, ambiguous ? t('redact.reason_hint_uncertain')
                                                  : t('redact.reason_hint')),
      status,
      h('div', {class: 'actions'}, save, cancel));
  const dialog = h('dialog', {'aria-labelledby': titleId, class: 'dialog'}, form);
  const decision = () => form.querySelector('input[name="redact-decision"]:checked').value;
  for (const radio of form.querySelectorAll('input[name="redact-decision"]')) {
    radio.addEventListener('change', () => {
      fieldSet.hidden = decision() !== 'redact_fields';
    });
  }
  const close = () => {
    dialog.close();
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    close();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    setFieldError(reason, '');
    const body = {task_id: record.task_id, collection: record.collection, line: record.line,
                  decision: decision(), reason: reason.value.trim()};
    if (body.decision === 'redact_fields') {
      body.fields = [...fieldBoxes].map((box) => box.querySelector('input'))
                        .filter((box) => box.checked).map((box) => box.value);
      if (!body.fields.length) {
        status.append(notice('error', t('redact.pick_field')));
        fieldSet.querySelector('input')?.focus();
        return;
      }
    }
    if (body.reason.length < 3) {
      setFieldError(reason, t('form.reason_short', {count: 3}));
      reason.focus();
      return;
    }
    save.disabled = true;
    try {
      await post(`/api/v1/requests/${encodeURIComponent(requestId)}/redactions`, body);
      dialog.close();
      dialog.remove();
      await onSaved();
    } catch (failure) {
      save.disabled = false;
      status.append(notice('error', describeError(failure)));
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  form.querySelector('input[name="redact-decision"]').focus();
}

// The whole record, every field, so the decision is made on what is in it.
function fullRecord(record) {
  if (record === null || typeof record !== 'object') return h('p', {}, String(record));
  return h('dl', {class: 'record'}, Object.entries(record).map(([name, value]) => [
    h('dt', {}, name),
    h('dd', {}, value === null ? '–' : typeof value === 'object' ? JSON.stringify(value)
                                                                 : String(value)),
  ]));
}
