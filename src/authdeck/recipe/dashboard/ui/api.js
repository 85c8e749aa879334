// The dashboard API client: cookie credentials, the CSRF header on every write, and errors as exceptions
// that carry what the page needs to show in place (401 sends the user back to sign in).

// The page configuration the server put in #authdeck-config (a JSON data element: no inline script).
const element = document.getElementById("authdeck-config");
export const config = element ? JSON.parse(element.textContent || "{}") : {};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorised = () => {};
export function setUnauthorisedHandler(fn) { onUnauthorised = fn; }

const base = `${config.dashboardAppPath || "/auth/dashboard"}/api`;
const csrf = config.csrfHeader || { name: "x-authdeck-csrf", value: "1" };

// API-key mode (dashboard.init(api_key=...)): the key is the credential, sent as a Bearer header. It is kept for
// this tab only (sessionStorage, else memory), never in a cookie or localStorage.
const KEY_STORE = "authdeck-dashboard-api-key";
let keyInMemory = null;

export const usesApiKey = config.authMode === "api-key";

export function setApiKey(key) {
  keyInMemory = key || null;
  try {
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
  } catch { /* storage disabled: the key lives in memory until the tab is reloaded */ }
}

export function apiKey() {
  try { return sessionStorage.getItem(KEY_STORE) || keyInMemory; } catch { return keyInMemory; }
}

export async function api(method, path, { query, body, quiet401 = false, key } = {}) {
  const url = new URL(base + path, window.location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  const headers = { accept: "application/json" };
  const bearer = key || (usesApiKey ? apiKey() : null);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (method !== "GET") headers[csrf.name] = csrf.value;
  if (body !== undefined) headers["content-type"] = "application/json";
  let reply;
  try {
    reply = await fetch(url, {
      method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "The server could not be reached. Check that the app is running and try again.");
  }
  let data = null;
  try { data = await reply.json(); } catch { data = null; }
  if (reply.status === 401) {
    if (!quiet401) onUnauthorised();
    throw new ApiError(401, "Your session has expired. Please sign in again.", data);
  }
  if (reply.status === 403) {
    throw new ApiError(403, (data && data.message) || "You are not permitted to perform this operation", data);
  }
  if (!reply.ok) {
    const message = (data && data.message) || `The server answered ${reply.status}.`;
    throw new ApiError(reply.status, message, data);
  }
  if (data && data.status && data.status !== "OK") {
    throw new ApiError(200, describeStatus(data), data);
  }
  return data;
}

function describeStatus(data) {
  const known = {
    EMAIL_ALREADY_EXISTS_ERROR: "Another user already has this email.",
    UNKNOWN_ROLE_ERROR: "This role does not exist.",
    NO_USER_FOUND_ERROR: "No user has this id.",
    FEATURE_NOT_ENABLED_ERROR: "This feature is not enabled in the app.",
    EMAIL_ALREADY_VERIFIED_ERROR: "This email is already verified.",
  };
  return data.message || data.error || known[data.status] || data.status;
}
