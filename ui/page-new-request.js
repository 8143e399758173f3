// Filing a request: type, identities, date of receipt, channel, language and,
// for a rectification, the corrections. Checked here field by field, then
// again by the API, whose findings are shown next to their fields too.
import {api, detailsByField, post} from './api.js';
import {clear, clearFieldErrors, field, h, notice, select, setFieldError} from './dom.js';
import {currentLanguage, label, t} from './i18n.js';

const EMAIL = /^[^@\s]+@[^@\s]+$/;  // the API's own pattern
const PHONE = /^\+?[0-9][0-9 ()/.-]*$/;
const IP = /^[0-9A-Fa-f:.]+$/;
const COUNTRY = /^[A-Z]{2}$/;

function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function input(id, props = {}) {
  return h('input', {id, name: id, ...props});
}

export async function render(view) {
  const controls = {
    type: select(['access', 'rectification', 'erasure'].map((v) => [v, label('type', v)]),
                 'access'),
    email: input('subject-email', {type: 'email', autocomplete: 'off', maxlength: 254}),
    phone: input('subject-phone', {type: 'tel', autocomplete: 'off', maxlength: 40}),
    name: input('subject-name', {autocomplete: 'off', maxlength: 200}),
    customer_id: input('subject-customer-id', {autocomplete: 'off', maxlength: 100}),
    ip_address: input('subject-ip', {autocomplete: 'off', maxlength: 45}),
    received_on: input('received-on', {type: 'date', value: todayIso(), max: todayIso()}),
    channel: select([['', t('new.channel_none')]].concat(
        ['email', 'web_form', 'letter', 'phone', 'chat', 'in_person', 'other'].map(
            (v) => [v, label('channel', v)])), ''),
    language: select([['de', 'Deutsch'], ['en', 'English']], currentLanguage()),
    note: h('textarea', {id: 'note', rows: 3, maxlength: 2000}),
  };
  controls.type.id = 'request-type';
  controls.channel.id = 'channel';
  controls.language.id = 'answer-language';
  const corrections = {
    email: input('new-email', {type: 'email', maxlength: 254}),
    phone: input('new-phone', {type: 'tel', maxlength: 40}),
    given: input('new-given', {maxlength: 100}),
    family: input('new-family', {maxlength: 100}),
    street: input('new-street', {maxlength: 200}),
    postal_code: input('new-postal-code', {maxlength: 20}),
    city: input('new-city', {maxlength: 100}),
    country: input('new-country', {maxlength: 2, placeholder: 'DE'}),
  };
  const correctionsBox = h('fieldset', {class: 'group', hidden: true},
      h('legend', {}, t('new.corrections')),
      h('p', {class: 'hint'}, t('new.corrections_hint')),
      h('div', {class: 'grid'},
        field(t('new.new_email'), corrections.email), field(t('new.new_phone'), corrections.phone),
        field(t('new.new_given'), corrections.given),
        field(t('new.new_family'), corrections.family),
        field(t('new.new_street'), corrections.street),
        field(t('new.new_postal_code'), corrections.postal_code),
        field(t('new.new_city'), corrections.city),
        field(t('new.new_country'), corrections.country, t('new.country_hint'))));
  const showCorrections = () => {
    correctionsBox.hidden = controls.type.value !== 'rectification';
  };
  controls.type.addEventListener('change', showCorrections);

  const status = h('div', {class: 'form-status'});
  const submit = h('button', {type: 'submit', class: 'primary'}, t('new.submit'));
  const form = h('form', {class: 'card', novalidate: true},
      field(t('new.type'), controls.type, t('new.type_hint')),
      h('fieldset', {class: 'group'}, h('legend', {}, t('new.identities')),
        h('p', {class: 'hint'}, t('new.identities_hint')),
        h('div', {class: 'grid'},
          field(t('new.email'), controls.email), field(t('new.phone'), controls.phone),
          field(t('new.name'), controls.name),
          field(t('new.customer_id'), controls.customer_id),
          field(t('new.ip_address'), controls.ip_address, t('new.ip_hint')))),
      correctionsBox,
      h('div', {class: 'grid'},
        field(t('new.received_on'), controls.received_on, t('new.received_on_hint')),
        field(t('new.channel'), controls.channel),
        field(t('new.language'), controls.language)),
      field(t('new.note'), controls.note, t('new.note_hint')),
      status, h('div', {class: 'actions'}, submit));

  // Field of the API's detail paths, to show server-side findings in place.
  const byPath = {
    'type': controls.type, 'subject': controls.email, 'subject.email': controls.email,
    'subject.phone': controls.phone, 'subject.name': controls.name,
    'subject.customer_id': controls.customer_id, 'subject.ip_address': controls.ip_address,
    'received_on': controls.received_on, 'channel': controls.channel,
    'language': controls.language, 'note': controls.note, 'corrections': corrections.email,
    'corrections.email': corrections.email, 'corrections.phone': corrections.phone,
    'corrections.name': corrections.given, 'corrections.name.given': corrections.given,
    'corrections.name.family': corrections.family,
    'corrections.postal_address': corrections.street,
    'corrections.postal_address.street': corrections.street,
    'corrections.postal_address.postal_code': corrections.postal_code,
    'corrections.postal_address.city': corrections.city,
    'corrections.postal_address.country': corrections.country,
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    clear(status);
    const {body, errors} = collect(controls, corrections);
    if (errors.length) {
      for (const [control, message] of errors) setFieldError(control, message);
      status.append(notice('error', t('new.fix_fields', {count: errors.length})));
      errors[0][0].focus();
      return;
    }
    submit.disabled = true;
    try {
      const created = await post('/api/v1/requests', body);
      view.navigate(`/requests/${encodeURIComponent(created.id)}`);
    } catch (failure) {
      submit.disabled = false;
      const found = detailsByField(failure);
      let placed = 0;
      for (const [path, messages] of Object.entries(found)) {
        const control = byPath[path];
        if (!control) continue;
        setFieldError(control, t('new.server_said', {message: messages.join('; ')}));
        placed += 1;
      }
      status.append(notice('error', placed ? t('new.fix_fields', {count: placed})
                                           : t('error.generic', {message: failure.message})));
      const first = form.querySelector('[aria-invalid="true"]');
      if (first) first.focus();
    }
  });

  clear(view.main, h('h1', {}, t('new.title')), h('p', {class: 'lead'}, t('new.lead')), form);
}

// The request body from the form, and every problem as [control, message].
function collect(controls, corrections) {
  const errors = [];
  const text = (control) => control.value.trim();
  const subject = {};
  const email = text(controls.email);
  if (email) {
    if (!EMAIL.test(email)) errors.push([controls.email, t('new.error_email')]);
    subject.email = email;
  }
  const phone = text(controls.phone);
  if (phone) {
    if (!PHONE.test(phone) || phone.length < 3) errors.push([controls.phone, t('new.error_phone')]);
    subject.phone = phone;
  }
  if (text(controls.name)) subject.name = text(controls.name);
  if (text(controls.customer_id)) subject.customer_id = text(controls.customer_id);
  const ip = text(controls.ip_address);
  if (ip) {
    if (!IP.test(ip) || ip.length < 2) errors.push([controls.ip_address, t('new.error_ip')]);
    subject.ip_address = ip;
  }
  if (Object.keys(subject).length === 0) errors.push([controls.email, t('new.error_no_identity')]);

  const body = {type: controls.type.value, subject, language: controls.language.value};
  const received = controls.received_on.value;
  if (!received) {
    errors.push([controls.received_on, t('new.error_date_missing')]);
  } else if (!/^\d{4}-\d{2}-\d{2}$/.test(received)) {
    errors.push([controls.received_on, t('new.error_date_format')]);
  } else if (received > todayIso()) {
    errors.push([controls.received_on, t('new.error_date_future')]);
  } else {
    body.received_on = received;
  }
  if (controls.channel.value) body.channel = controls.channel.value;
  if (text(controls.note)) body.note = text(controls.note);

  if (body.type === 'rectification') {
    const wanted = {};
    const newEmail = text(corrections.email);
    if (newEmail) {
      if (!EMAIL.test(newEmail)) errors.push([corrections.email, t('new.error_email')]);
      wanted.email = newEmail;
    }
    const newPhone = text(corrections.phone);
    if (newPhone) {
      if (!PHONE.test(newPhone)) errors.push([corrections.phone, t('new.error_phone')]);
      wanted.phone = newPhone;
    }
    const name = {};
    if (text(corrections.given)) name.given = text(corrections.given);
    if (text(corrections.family)) name.family = text(corrections.family);
    if (Object.keys(name).length) wanted.name = name;
    const address = {};
    for (const part of ['street', 'postal_code', 'city', 'country']) {
      if (text(corrections[part])) address[part] = text(corrections[part]);
    }
    if (address.country && !COUNTRY.test(address.country)) {
      errors.push([corrections.country, t('new.error_country')]);
    }
    if (Object.keys(address).length) wanted.postal_address = address;
    if (Object.keys(wanted).length === 0) {
      errors.push([corrections.email, t('new.error_no_correction')]);
    }
    body.corrections = wanted;
  }
  return {body, errors};
}
