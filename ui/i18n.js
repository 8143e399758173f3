// German and English texts of the interface, chosen per user. A missing
// German text falls back to English, a missing key shows the key (tests
// catch both).
import {en} from './texts-en.js';
import {de} from './texts-de.js';

const catalogs = {de, en};
let language = 'en';

export function setLanguage(code) {
  language = catalogs[code] ? code : 'en';
  document.documentElement.lang = language;
}

export function currentLanguage() {
  return language;
}

// The browser's language, for a user who has not chosen one.
export function browserLanguage() {
  return (navigator.language || 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
}

// t('deadline.days_left', {days: 3}): the text with {name} placeholders filled.
export function t(key, values = {}) {
  const text = catalogs[language][key] ?? catalogs.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// A label for an enumerated value (status, type, channel …), or the value.
export function label(group, value) {
  const key = `${group}.${value}`;
  const text = catalogs[language][key] ?? catalogs.en[key];
  return text ?? String(value).replace(/_/g, ' ');
}

const locales = {de: 'de-DE', en: 'en-GB'};

// "2025-04-28" → "28 April 2025" / "28. April 2025".
export function formatDate(iso) {
  if (!iso) return '';
  const [year, month, day] = iso.split('-').map(Number);
  if (!year || !month || !day) return iso;
  return new Intl.DateTimeFormat(locales[language], {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'})
      .format(new Date(Date.UTC(year, month - 1, day)));
}

// "2025-04-28T09:15:00Z" → local date and time, short.
export function formatTime(rfc3339) {
  if (!rfc3339) return '';
  const when = new Date(rfc3339);
  if (Number.isNaN(when.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locales[language], {dateStyle: 'medium', timeStyle: 'short'})
      .format(when);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(locales[language]).format(value);
}
