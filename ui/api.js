// The page's only way to the coordinator: the public /api/v1, signed in by
// the session cookie. Changing calls carry X-DSR-CSRF, which another site's
// form cannot send.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

let onSignedOut = () => {};
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

export async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD') headers['X-DSR-CSRF'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (failure) {
    throw new ApiError(0, 'unreachable', 'network', []);
  }
  let payload = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('application/json')) payload = await response.json();
  if (response.ok) return payload;
  const error = (payload && payload.error) || {};
  const failure = new ApiError(response.status, error.code || String(response.status),
                               error.message || response.statusText, error.details);
  if (response.status === 401 && path !== '/api/v1/session') onSignedOut();
  throw failure;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);

// Maps the server's validation details ("subject.email: …") to field paths.
export function detailsByField(error) {
  const byField = {};
  for (const line of error.details || []) {
    const at = String(line).indexOf(': ');
    if (at < 0) continue;
    const path = String(line).slice(0, at).replace(/^\//, '').replace(/\//g, '.');
    (byField[path] = byField[path] || []).push(String(line).slice(at + 2));
  }
  return byField;
}
