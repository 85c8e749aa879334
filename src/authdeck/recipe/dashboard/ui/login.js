// The sign-in page: errors in place (wrong credentials, lockout with the time left, server unreachable), and
// how to create or reset dashboard credentials with the CLI or curl.

import { api } from "./api.js";
import { copyButton, errorBox, h } from "./dom.js";

const URI_PLACEHOLDER = "<connection URI>";

function commandBlock(label, text) {
  return h("div", { class: "command" },
    h("div", { class: "row between" }, h("span", { class: "muted" }, label), copyButton(text, `Copy ${label === "curl" ? "curl" : "command"}`)),
    h("pre", {}, h("code", {}, text)));
}

function helpPanel(title, intro, cli, curl) {
  return h("details", { class: "help" },
    h("summary", {}, title),
    h("p", {}, intro),
    commandBlock("Command line", cli),
    commandBlock("curl", curl));
}

function connectionUri(state) {
  return state.config.connectionURI || state.config.connectionUri || URI_PLACEHOLDER;
}

export function renderLogin(state, message, onSignedIn) {
  const uri = connectionUri(state);
  const email = h("input", { id: "email", type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password", type: "password", name: "password", autocomplete: "current-password", required: true,
  });
  const status = h("div", { class: "status", "aria-live": "polite" }, message ? h("p", { class: "notice" }, message) : null);
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h("form", { class: "card login", novalidate: true },
    h("h1", {}, "User Management Dashboard"),
    h("p", { class: "muted" }, "Sign in with your dashboard credentials."),
    status,
    h("label", { for: "email" }, "Email"), email,
    h("label", { for: "password" }, "Password"), password,
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!email.value || !password.value) {
      status.replaceChildren(errorBox("Enter your email and password."));
      return;
    }
    submit.disabled = true;
    try {
      const reply = await api("POST", "/signin", { body: { email: email.value, password: password.value }, quiet401: true });
      if (reply.status === "OK") { onSignedIn(); return; }
    } catch (err) {
      status.replaceChildren(errorBox(signInError(err)));
    } finally {
      submit.disabled = false;
    }
  });
  const create = helpPanel("Add a new user",
    "Dashboard users are created by whoever runs the app, with either of these (fill in a real email and password):",
    `authdeck dashboard-users create --core ${uri} --email <email> --password <password>`,
    `curl --location --request POST '${uri}/recipe/dashboard/user' \\\n` +
    "  --header 'rid: dashboard' \\\n  --header 'api-key: <your API key>' \\\n" +
    "  --header 'Content-Type: application/json' \\\n" +
    "  --data-raw '{\"email\": \"<email>\", \"password\": \"<password>\"}'");
  const reset = helpPanel("Forgot password",
    "Ask whoever runs the app to set a new password (or email) for your dashboard account:",
    `authdeck dashboard-users update --core ${uri} --email <email> --new-password <new password>`,
    `curl --location --request PUT '${uri}/recipe/dashboard/user' \\\n` +
    "  --header 'rid: dashboard' \\\n  --header 'api-key: <your API key>' \\\n" +
    "  --header 'Content-Type: application/json' \\\n" +
    "  --data-raw '{\"email\": \"<email>\", \"newPassword\": \"<new password>\"}'");
  state.root.replaceChildren(h("main", { class: "login-page" }, form, h("div", { class: "card helps" }, create, reset)));
  email.focus();
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
