// The sign-in page: errors in place (wrong credentials, lockout with the time left, server unreachable), and
// how to create or reset dashboard credentials with the CLI or curl.

import { api, setApiKey, usesApiKey } from "./api.js";
import { appName, copyButton, errorBox, h } from "./dom.js";

const URI_PLACEHOLDER = "<connection URI>";
const KEY_PLACEHOLDER = "<your API key>";

function commandBlock(label, text, copyLabel) {
  return h("div", { class: "command" },
    h("div", { class: "row between" }, h("span", { class: "muted" }, label), copyButton(text, "Copy", copyLabel)),
    h("pre", {}, h("code", {}, text)));
}

function helpPanel(id, title, intro, cli, curl, note) {
  return h("details", { class: "help", id },
    h("summary", {}, title),
    h("p", {}, intro),
    commandBlock("Command line", cli, `Copy ${title.toLowerCase()} command`),
    commandBlock("curl", curl, `Copy ${title.toLowerCase()} curl`),
    h("p", { class: "muted small" }, note));
}

// Single-quoted for a POSIX shell, so a pasted command cannot expand or redirect anything.
function sq(text) {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

function curlCommand(method, uri, data) {
  return `curl --request ${method} ${sq(`${uri}/recipe/dashboard/user`)} \\\n` +
    "  --header 'rid: dashboard' \\\n" +
    `  --header ${sq(`api-key: ${KEY_PLACEHOLDER}`)} \\\n` +
    "  --header 'Content-Type: application/json' \\\n" +
    `  --data ${sq(JSON.stringify(data))}`;
}

// The core's address as the app connects to it (the first of a fail-over list); never the API key.
export function connectionUri(config) {
  const uri = String(config.connectionURI || "").split(";")[0].trim().replace(/\/+$/, "");
  return uri || URI_PLACEHOLDER;
}

function helpPanels(config) {
  const uri = connectionUri(config);
  const keyNote = `Replace ${KEY_PLACEHOLDER} with the core's API key (the command line also reads AUTHDECK_API_KEY), ` +
    "or leave the API key out if the core has none. Only the people who run the app have it.";
  const create = helpPanel("help-create", "Add a new user",
    "Dashboard users are created by whoever runs the app, with either of these. The command asks for the password; " +
    "in the curl, fill in a real email and password.",
    `authdeck dashboard-users create \\\n  --core ${sq(uri)} \\\n  --api-key ${sq(KEY_PLACEHOLDER)} \\\n` +
    "  --email '<email>'",
    curlCommand("POST", uri, { email: "<email>", password: "<password>" }),
    keyNote);
  const reset = helpPanel("help-reset", "Forgot password",
    "Ask whoever runs the app to set a new password for your dashboard account (the command asks for it). " +
    "To change the email instead, use --new-email, or newEmail in the curl.",
    `authdeck dashboard-users update \\\n  --core ${sq(uri)} \\\n  --api-key ${sq(KEY_PLACEHOLDER)} \\\n` +
    "  --email '<email>'",
    curlCommand("PUT", uri, { email: "<email>", newPassword: "<new password>" }),
    `${keyNote} Changing the password signs that account out everywhere.`);
  return h("div", { class: "card helps" }, create, reset);
}

export function renderLogin(state, message, onSignedIn) {
  const status = h("div", { class: "status", "aria-live": "polite" }, message ? h("p", { class: "notice" }, message) : null);
  const submit = h("button", { type: "submit" }, "Sign in");
  const mode = usesApiKey ? apiKeyFields(status, onSignedIn) : credentialFields(status, onSignedIn);
  const form = h("form", { class: "card login", novalidate: true },
    h("h1", {}, "User Management Dashboard"),
    h("p", { class: "muted" }, `Sign in to manage the users of ${appName(state.config)}.`),
    status, mode.fields, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try { await mode.submit(); } finally { submit.disabled = false; }
  });
  document.title = `Sign in · ${appName(state.config)} · User Management Dashboard`;
  // Dashboard users do not exist in API-key mode, so the help on creating them would only mislead.
  state.root.replaceChildren(h("main", { class: "login-page" }, form, usesApiKey ? null : helpPanels(state.config)));
  mode.first.focus();
}

function credentialFields(status, onSignedIn) {
  const email = h("input", { id: "email", type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password", type: "password", name: "password", autocomplete: "current-password", required: true,
  });
  const submit = async () => {
    if (!email.value || !password.value) {
      status.replaceChildren(errorBox("Enter your email and password."));
      return;
    }
    try {
      const reply = await api("POST", "/signin", { body: { email: email.value, password: password.value }, quiet401: true });
      if (reply.status === "OK") onSignedIn();
    } catch (err) {
      status.replaceChildren(errorBox(signInError(err)));
    }
  };
  return {
    first: email, submit,
    fields: [h("label", { for: "email" }, "Email"), email, h("label", { for: "password" }, "Password"), password],
  };
}

function apiKeyFields(status, onSignedIn) {
  const key = h("input", { id: "api-key", type: "password", name: "api-key", autocomplete: "off", required: true,
    "aria-describedby": "api-key-help" });
  const submit = async () => {
    const value = key.value.trim();
    if (!value) {
      status.replaceChildren(errorBox("Enter the API key."));
      return;
    }
    try {
      await api("POST", "/key/validate", { key: value, quiet401: true });
      setApiKey(value);
      onSignedIn();
    } catch (err) {
      status.replaceChildren(errorBox(err.status === 401 ? "This API key is not the one the app's dashboard uses." : err.message));
    }
  };
  return {
    first: key, submit,
    fields: [h("label", { for: "api-key" }, "API key"), key,
      h("p", { class: "muted small", id: "api-key-help" },
        "This dashboard signs in with the API key the app gives dashboard.init(api_key=...). " +
        "It is kept for this browser tab only.")],
  };
}

function signInError(err) {
  if (err.status === 0) return err.message;
  if (err.status === 429) {
    const seconds = err.body && err.body.retryAfterSeconds;
    const wait = seconds ? ` Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? "s" : ""}.` : "";
    return (err.body && err.body.message) || `Too many failed sign-in attempts.${wait}`;
  }
  const body = err.body || {};
  if (body.status === "INVALID_CREDENTIALS_ERROR") return "Incorrect email or password.";
  if (body.status === "USER_SUSPENDED_ERROR") return body.message || "This dashboard account is suspended.";
  return err.message;
}
