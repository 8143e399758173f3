// Small helpers to build the page from data. Every text goes in through
// textContent, never innerHTML, so nothing a request holds can become markup.

// h('a', {href: '#/x', class: 'link', onclick: fn}, 'text', child, …)
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'text') {
      element.textContent = value;
    } else if (name in element && typeof value !== 'string') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let nextId = 0;
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// A labelled form field with a place for its error right after the control.
// `control` is an input, select or textarea; it gets an id if it has none.
export function field(labelText, control, hintText) {
  if (!control.id) control.id = uniqueId('field');
  const error = h('p', {class: 'field-error', id: `${control.id}-error`, hidden: true});
  const described = [];
  let hint = null;
  if (hintText) {
    hint = h('p', {class: 'hint', id: `${control.id}-hint`, text: hintText});
    described.push(hint.id);
  }
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  return h('div', {class: 'field'}, h('label', {for: control.id, text: labelText}), hint, control,
           error);
}

// Shows `message` next to `control` (or clears it when message is empty).
export function setFieldError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  if (!error) return;
  const described = (control.getAttribute('aria-describedby') || '')
                        .split(' ')
                        .filter((id) => id && id !== error.id);
  if (message) {
    error.textContent = message;
    error.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    described.push(error.id);
  } else {
    error.textContent = '';
    error.hidden = true;
    control.removeAttribute('aria-invalid');
  }
  if (described.length) {
    control.setAttribute('aria-describedby', described.join(' '));
  } else {
    control.removeAttribute('aria-describedby');
  }
}

export function clearFieldErrors(form) {
  for (const control of form.querySelectorAll('[aria-invalid="true"]')) setFieldError(control, '');
}

export function select(options, value) {
  const element = h('select');
  for (const [optionValue, text] of options) {
    element.append(h('option', {value: optionValue, text, selected: optionValue === value}));
  }
  return element;
}

// A message box for the whole page: role=alert for errors, status otherwise.
export function notice(kind, text) {
  return h('div', {class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status'},
           text);
}

// A table in a frame that scrolls sideways on its own, so a narrow screen
// never scrolls the whole page. `rows` are arrays of cells (nodes or text).
export function table(caption, headers, rows, className = '') {
  return h('div', {class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0},
           h('table', {class: className},
             h('caption', {class: 'visually-hidden'}, caption),
             h('thead', {}, h('tr', {}, headers.map((text) => h('th', {scope: 'col'}, text)))),
             h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}
