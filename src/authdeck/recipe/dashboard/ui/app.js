// authdeck dashboard UI entry point: the CSP-violation notice, sign-in, the shell and a router over the
// History API. Pages live in their own modules and render into <main>.

import { api, ApiError, apiKey, config, setApiKey, setUnauthorisedHandler, usesApiKey } from "./api.js";
import { appName, errorBox, h } from "./dom.js";

// Each page's module is fetched when it is first shown (the server preloads the one the URL asks for), so the
// first load fetches only what it draws.
async function renderLogin(...args) {
  (await import("./login.js")).renderLogin(...args);
}

const root = document.getElementById("root");
const appPath = config.dashboardAppPath || "/auth/dashboard";
const state = { me: null, config, appPath, navigate, root };

// A host-app CSP stricter than ours blocks parts of the page; say which directive and what to allow.
document.addEventListener("securitypolicyviolation", (event) => {
  const directive = event.effectiveDirective || event.violatedDirective;
  const blocked = event.blockedURI || "inline";
  const notice = h("div", { class: "csp-notice", role: "alert" },
    h("strong", {}, "A Content-Security-Policy blocked part of the dashboard. "),
    `Directive: ${directive}; blocked: ${blocked}. Add `,
    h("code", {}, `${directive} 'self'`),
    " to the policy your app sends for the dashboard path, or serve the dashboard without that header.");
  document.body.prepend(notice);
});

setUnauthorisedHandler(() => {
  if (state.me) {
    state.me = null;
    remember(false);
    renderLogin(state, "Your session has expired. Please sign in again.", (m) => start(m, true));
  }
});

export function navigate(url, replace = false) {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  route();
}

window.addEventListener("popstate", () => route());

document.addEventListener("keydown", (event) => {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement;
  if (event.key === "/" && !typing) {
    const search = document.querySelector("[data-search]");
    if (search) { event.preventDefault(); search.focus(); }
  }
});

function navLink(path, label, current) {
  return h("a", { href: appPath + path, "aria-current": current ? "page" : false, onclick: linkHandler }, label);
}

export function linkHandler(event) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute("href"));
}
state.linkHandler = linkHandler;

async function signOut() {
  try { await api("POST", "/signout", { quiet401: true }); } catch { /* signed out either way */ }
  state.me = null;
  remember(false);
  renderLogin(state, "You have signed out.", (m) => start(m, true));
}

// The favicon's URL carries the icon's version, so the header reuses the cached file instead of a second fetch.
const ICON = document.querySelector('link[rel="icon"]')?.getAttribute("href") || `${config.staticBasePath}/icon.svg`;

const SECTIONS = { users: "Users", roles: "Roles & permissions", activity: "Activity" };

function renderShell(section) {
  document.title = `${SECTIONS[section]} · ${appName(config)} · User Management Dashboard`;
  const badge = state.me.canWrite
    ? h("span", { class: "badge admin", title: "You may view and change data" }, "Admin")
    : h("span", { class: "badge readonly", title: "You may view data but not change it" }, "Read-only");
  const main = h("main", { id: "main", tabindex: "-1" });
  const readOnlyNote = state.me.canWrite ? [] : [h("div", { class: "readonly-wrap" },
    h("p", { class: "readonly-note", role: "note", "data-readonly-note": "" },
      h("strong", {}, "Read-only access. "),
      "You can view everything, but the controls that change data are turned off for your dashboard account. " +
      "Whoever runs the app can make you an admin."))];
  root.replaceChildren(
    h("a", { class: "skip", href: "#main" }, "Skip to content"),
    h("header", { class: "topbar" },
      h("div", { class: "brand" }, h("img", { src: ICON, alt: "", width: 24, height: 24 }),
        h("span", { class: "app-name", "data-app-name": "" }, appName(config)),
        h("span", { class: "muted product" }, "User Management Dashboard")),
      h("div", { class: "who" }, h("span", { class: "email", "data-me": "" }, state.me.email || "Signed in with the API key"), badge,
        h("button", { type: "button", class: "secondary small", onclick: signOut }, "Sign out"))),
    h("nav", { class: "tabs", "aria-label": "Sections" },
      navLink("", SECTIONS.users, section === "users"),
      navLink("/roles", SECTIONS.roles, section === "roles"),
      navLink("/activity", SECTIONS.activity, section === "activity")),
    ...readOnlyNote,
    main);
  return main;
}

async function route() {
  if (!state.me) return;
  const path = window.location.pathname.replace(/\/+$/, "");
  const rest = path.startsWith(appPath) ? path.slice(appPath.length) : "";
  const params = new URLSearchParams(window.location.search);
  const userId = params.get("userid") || params.get("userId");
  let page;
  if (rest.startsWith("/users/") && rest.length > 7) {
    page = ["users", "./user.js", (m, main) => m.renderUser(state, main, decodeURIComponent(rest.slice(7)))];
  } else if (userId) {
    page = ["users", "./user.js", (m, main) => m.renderUser(state, main, userId)];
  } else if (rest === "/roles") {
    page = ["roles", "./roles.js", (m, main) => m.renderRoles(state, main)];
  } else if (rest.startsWith("/activity")) {
    page = ["activity", "./activity.js", (m, main) => m.renderActivity(state, main)];
  } else {
    page = ["users", "./users.js", (m, main) => m.renderUsers(state, main)];
  }
  const [section, module, draw] = page;
  const main = renderShell(section);
  try {
    draw(await import(module), main);
  } catch (err) {
    main.replaceChildren(errorBox(`This page could not be loaded (${err.message}). Reload to try again.`));
  }
}

// The cookie is HttpOnly, so the page cannot see it; this flag spares signed-out visitors a 401 probe (which the
// browser would log as an error) and is cleared whenever the server says the session is gone.
const SIGNED_IN = "authdeck-dashboard-signed-in";

function remember(signedIn) {
  if (!signedIn) setApiKey(null);
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN, "1");
    else localStorage.removeItem(SIGNED_IN);
  } catch { /* storage disabled: every load probes /me */ }
}

function probablySignedIn() {
  if (usesApiKey) return apiKey() !== null;
  try { return localStorage.getItem(SIGNED_IN) !== null; } catch { return true; }
}

async function start(message, justSignedIn = false) {
  if (justSignedIn) remember(true);
  if (!justSignedIn && !probablySignedIn()) {
    renderLogin(state, message, (m) => start(m, true));
    return;
  }
  try {
    state.me = await api("GET", "/me", { quiet401: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) remember(false);
    const text = err instanceof ApiError && err.status === 401 ? message : err.message;
    renderLogin(state, text, (m) => start(m, true));
    return;
  }
  route();
}

start();
