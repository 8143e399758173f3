// The admin's page: users (add, disable) and their API tokens (issue, shown
// once; revoke). Passwords and tokens are never shown again after they are
// made; the API does not keep them in clear.
import {detailsByField, get, post} from './api.js';
import {clear, clearFieldErrors, field, h, notice, select, setFieldError, table} from './dom.js';
import {formatTime, t} from './i18n.js';
import {describeError} from './widgets.js';

const NAME = /^[a-z][a-z0-9._-]{0,63}$/;
const ROLES = ['agent', 'dpo', 'auditor', 'admin'];

export async function users(view) {
  const state = {message: null, token: null};
  const reload = async () => {
    const list = (await get('/api/v1/users')).users;
    const selected = view.query.get('user');
    const tokens = selected && list.some((user) => user.name === selected)
        ? (await get(`/api/v1/users/${encodeURIComponent(selected)}/tokens`)).tokens : null;
    draw(view, state, list, selected, tokens, reload);
  };
  await reload();
}

function draw(view, state, list, selected, tokens, reload) {
  const rows = list.map((user) => {
    const status = h('div', {class: 'form-status'});
    let disable = null;
    if (!user.disabled_at && user.name !== view.me.name) {
      disable = h('button', {type: 'button', class: 'danger small',
                             'aria-label': t('admin.disable_user', {name: user.name})},
                  t('admin.disable'));
      disable.addEventListener('click', async () => {
        if (!window.confirm(t('admin.disable_confirm', {name: user.name}))) return;
        disable.disabled = true;
        try {
          await post(`/api/v1/users/${encodeURIComponent(user.name)}/disable`, {});
          state.message = {kind: 'success', text: t('admin.disabled_done', {name: user.name})};
          await reload();
        } catch (failure) {
          disable.disabled = false;
          status.append(notice('error', describeError(failure)));
        }
      });
    }
    return [
      h('a', {href: `#/users?user=${encodeURIComponent(user.name)}`,
              'aria-current': user.name === selected ? 'true' : null}, user.name),
      t(`role.${user.role}`), formatTime(user.created_at),
      user.disabled_at ? h('span', {class: 'badge badge-closed'},
                           t('admin.disabled_since', {at: formatTime(user.disabled_at)}))
                       : h('span', {class: 'badge badge-on_track'}, t('admin.active')),
      h('div', {}, disable, status),
    ];
  });
  clear(view.main,
        h('h1', {}, t('admin.title')),
        h('p', {class: 'lead'}, t('admin.lead')),
        state.message ? notice(state.message.kind, state.message.text) : null,
        h('section', {class: 'card', 'aria-labelledby': 'users-list'},
          h('h2', {id: 'users-list'}, t('admin.users')),
          table(t('admin.users'), [t('admin.name'), t('admin.role'), t('admin.created'),
                                   t('list.status'), ''], rows)),
        selected && tokens ? tokensSection(state, selected, tokens, reload) : null,
        h('section', {class: 'card', 'aria-labelledby': 'users-add'},
          h('h2', {id: 'users-add'}, t('admin.add')), addUserForm(view, state, reload)));
  state.message = null;
}

function addUserForm(view, state, reload) {
  const name = h('input', {id: 'new-user-name', autocomplete: 'off', maxlength: 64});
  const role = select(ROLES.map((r) => [r, t(`role.${r}`)]), 'agent');
  role.id = 'new-user-role';
  const password = h('input', {id: 'new-user-password', type: 'password',
                               autocomplete: 'new-password', maxlength: 1024});
  const status = h('div', {class: 'form-status'});
  const submit = h('button', {type: 'submit', class: 'primary'}, t('admin.add_submit'));
  const form = h('form', {novalidate: true},
                 h('div', {class: 'grid'}, field(t('admin.name'), name, t('admin.name_hint')),
                   field(t('admin.role'), role),
                   field(t('admin.password'), password, t('admin.password_hint'))),
                 status, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    clear(status);
    let bad = null;
    if (!NAME.test(name.value)) {
      setFieldError(name, t('admin.error_name'));
      bad = bad || name;
    }
    if (password.value.length < 12) {
      setFieldError(password, t('admin.error_password'));
      bad = bad || password;
    }
    if (bad) {
      bad.focus();
      return;
    }
    submit.disabled = true;
    try {
      await post('/api/v1/users', {name: name.value, role: role.value, password: password.value});
      state.message = {kind: 'success', text: t('admin.added', {name: name.value})};
      await reload();
    } catch (failure) {
      submit.disabled = false;
      const found = detailsByField(failure);
      const control = {name, password, role};
      let placed = false;
      for (const [path, messages] of Object.entries(found)) {
        if (control[path]) {
          setFieldError(control[path], messages.join('; '));
          placed = true;
        }
      }
      if (!placed) status.append(notice('error', describeError(failure)));
    }
  });
  return form;
}

function tokensSection(state, user, tokens, reload) {
  const rows = tokens.map((token) => {
    let revoke = null;
    const status = h('div', {class: 'form-status'});
    if (!token.revoked_at) {
      revoke = h('button', {type: 'button', class: 'danger small',
                            'aria-label': t('admin.revoke_token', {id: token.id})},
                 t('admin.revoke'));
      revoke.addEventListener('click', async () => {
        revoke.disabled = true;
        try {
          await post(`/api/v1/tokens/${encodeURIComponent(token.id)}/revoke`, {});
          state.message = {kind: 'success', text: t('admin.revoked_done')};
          await reload();
        } catch (failure) {
          revoke.disabled = false;
          status.append(notice('error', describeError(failure)));
        }
      });
    }
    return [h('code', {}, token.id), token.label || '–', formatTime(token.created_at),
            token.expires_at ? formatTime(token.expires_at) : t('admin.never'),
            token.revoked_at ? t('admin.revoked_at', {at: formatTime(token.revoked_at)})
                             : t('admin.active'),
            h('div', {}, revoke, status)];
  });
  const label = h('input', {id: 'token-label', maxlength: 200});
  const days = h('input', {id: 'token-days', type: 'number', min: 1, max: 3650, value: 90});
  const status = h('div', {class: 'form-status'});
  const submit = h('button', {type: 'submit', class: 'secondary'}, t('admin.issue'));
  const form = h('form', {novalidate: true, class: 'inline-form'},
                 field(t('admin.token_label'), label), field(t('admin.token_days'), days),
                 submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 3650) {
      setFieldError(days, t('admin.error_days'));
      days.focus();
      return;
    }
    submit.disabled = true;
    try {
      const body = {expires_days: n};
      if (label.value.trim()) body.label = label.value.trim();
      const issued = await post(`/api/v1/users/${encodeURIComponent(user)}/tokens`, body);
      state.token = issued.token;
      await reload();
    } catch (failure) {
      submit.disabled = false;
      clear(status, notice('error', describeError(failure)));
    }
  });
  const shown = state.token
      ? h('div', {class: 'notice notice-success', role: 'status'},
          h('p', {}, t('admin.token_once')), h('p', {}, h('code', {class: 'break'}, state.token)))
      : null;
  state.token = null;
  return h('section', {class: 'card', 'aria-labelledby': 'user-tokens'},
           h('h2', {id: 'user-tokens'}, t('admin.tokens_of', {name: user})),
           shown,
           tokens.length ? table(t('admin.tokens_of', {name: user}),
                                 [t('admin.token_id'), t('admin.token_label'),
                                  t('admin.created'), t('admin.expires'), t('list.status'), ''],
                                 rows)
                         : h('p', {}, t('admin.no_tokens')),
           h('h3', {}, t('admin.issue_title')), form, status);
}
