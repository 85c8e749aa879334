// The users list: page size, order, email search and the pagination token all live in the URL, so the back
// button and shared links work. "Previous" walks back through the tokens kept in the URL too.

import { api } from "./api.js";
import { errorBox, formatTime, h } from "./dom.js";

const SIZES = [10, 25, 50, 100];
const TAGS = ["email", "phone", "provider"];  // what the search-tags route may list; the server's list wins
export const METHODS = { emailpassword: "Email password", thirdparty: "Third party", passwordless: "Passwordless", webauthn: "Passkey" };

export function displayName(user) {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return name || (user.emails && user.emails[0]) || (user.phoneNumbers && user.phoneNumbers[0]) || user.id;
}

function readState() {
  const p = new URLSearchParams(window.location.search);
  const limit = SIZES.includes(Number(p.get("limit"))) ? Number(p.get("limit")) : 10;
  return {
    limit,
    order: p.get("order") === "ASC" ? "ASC" : "DESC",
    filters: Object.fromEntries(TAGS.filter((t) => p.get(t)).map((t) => [t, p.get(t).split(";").map((v) => v.trim()).filter(Boolean)])),
    token: p.get("token") || "",
    back: p.get("back") ? p.get("back").split(",") : [],
  };
}

function urlFor(state, view) {
  const p = new URLSearchParams();
  if (view.limit !== 10) p.set("limit", String(view.limit));
  if (view.order !== "DESC") p.set("order", view.order);
  for (const [tag, values] of Object.entries(view.filters)) if (values.length) p.set(tag, values.join(";"));
  if (view.token) p.set("token", view.token);
  if (view.back.length) p.set("back", view.back.join(","));
  const q = p.toString();
  return state.appPath + (q ? `?${q}` : "");
}

export async function renderUsers(state, main) {
  const view = readState();
  const go = (change) => state.navigate(urlFor(state, { ...view, ...change }));
  const search = h("input", {
    id: "search", type: "search", "data-search": "", placeholder: "Search (press /)",
    "aria-label": "Search value",
  });
  const tag = h("select", { id: "search-tag", "aria-label": "Search by" },
    TAGS.map((t) => h("option", { value: t }, t)));
  api("GET", "/search/tags").then((reply) => {
    const tags = (reply.tags || []).filter((t) => TAGS.includes(t));
    const chosen = tag.value;  // the user may have picked one while this loaded
    if (tags.length) tag.replaceChildren(...tags.map((t) => h("option", { value: t, selected: t === chosen }, t)));
  }).catch(() => {});
  const withFilter = (name, values) => ({ ...view.filters, [name]: values });
  const chips = Object.entries(view.filters).flatMap(([name, values]) => values.map((value) => h("span", { class: "chip" },
    `${name}: ${value}`, h("button", { type: "button", class: "chip-x", "aria-label": `Remove ${name} ${value}`,
      onclick: () => go({ filters: withFilter(name, values.filter((v) => v !== value)), token: "", back: [] }) }, "×"))));
  const searchForm = h("form", { class: "row", role: "search" }, tag, search, h("button", { type: "submit" }, "Search"));
  searchForm.addEventListener("submit", (e) => {
    e.preventDefault();
    // "a;b" is two values, as in the URL, so it becomes two chips.
    const values = search.value.split(";").map((v) => v.trim()).filter(Boolean);
    if (!values.length) return;
    const current = view.filters[tag.value] || [];
    go({ filters: withFilter(tag.value, [...new Set([...current, ...values])]), token: "", back: [] });
  });
  const size = h("select", { id: "page-size", "aria-label": "Rows per page" },
    SIZES.map((n) => h("option", { value: String(n), selected: n === view.limit }, `${n} per page`)));
  size.addEventListener("change", () => go({ limit: Number(size.value), token: "", back: [] }));
  const order = h("button", { type: "button", class: "secondary", onclick: () => go({
    order: view.order === "DESC" ? "ASC" : "DESC", token: "", back: [] }) },
  view.order === "DESC" ? "Newest first" : "Oldest first");
  const count = h("span", { class: "muted", "data-count": "" });
  const body = h("div", { class: "table-wrap" }, h("p", { class: "muted" }, "Loading users…"));
  const pager = h("div", { class: "row between pager" });
  main.replaceChildren(
    h("div", { class: "row between" }, h("h1", {}, "Users"), count),
    h("div", { class: "row toolbar" }, searchForm, size, order),
    ...(chips.length ? [h("div", { class: "chips", "data-chips": "" }, chips,
      h("button", { type: "button", class: "secondary small", onclick: () => go({ filters: {}, token: "", back: [] }) },
        "Clear all"))] : []),
    body, pager);

  const query = { limit: view.limit, timeJoinedOrder: view.order, paginationToken: view.token };
  for (const [name, values] of Object.entries(view.filters)) if (values.length) query[name] = values.join(";");
  let list;
  try {
    [list] = await Promise.all([
      api("GET", "/users", { query }),
      api("GET", "/users/count").then((c) => { count.textContent = `${c.count} user${c.count === 1 ? "" : "s"} in total`; },
        () => { count.textContent = ""; }),
    ]);
  } catch (err) {
    body.replaceChildren(errorBox(err.message));
    return;
  }
  if (!list.users.length) {
    body.replaceChildren(h("p", { class: "empty" }, chips.length
      ? "No users match this search."
      : "No users yet. Users appear here once they sign up in your app's frontend."));
  } else {
    body.replaceChildren(h("table", { class: "users" },
      h("thead", {}, h("tr", {}, ["User", "Auth method", "Email verified", "Time joined"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, list.users.map((user) => userRow(state, user)))));
  }
  const prev = h("button", { type: "button", class: "secondary", disabled: !view.token, onclick: () => {
    const back = view.back.slice(0, -1);
    go({ token: view.back[view.back.length - 1] || "", back });
  } }, "Previous");
  const next = h("button", { type: "button", class: "secondary", disabled: !list.nextPaginationToken, onclick: () => {
    go({ token: list.nextPaginationToken, back: [...view.back, view.token] });
  } }, "Next");
  pager.replaceChildren(prev, h("span", { class: "muted" }, `Page ${view.back.length + (view.token ? 1 : 0) + 1}`), next);
}

function userRow(state, user) {
  const href = `${state.appPath}/users/${encodeURIComponent(user.id)}`;
  const methods = [...new Set((user.loginMethods || []).map((m) => METHODS[m.recipeId] || m.recipeId))];
  const withEmail = (user.loginMethods || []).filter((m) => m.email);
  const verified = withEmail.length ? withEmail.every((m) => m.verified) : null;
  const sub = [user.firstName || user.lastName ? user.emails && user.emails[0] : null,
    user.phoneNumbers && user.phoneNumbers[0]].filter(Boolean);
  return h("tr", {},
    h("td", {}, h("a", { href, onclick: state.linkHandler }, displayName(user)),
      sub.map((s) => h("div", { class: "muted small" }, s))),
    h("td", {}, methods.map((m) => h("span", { class: "chip" }, m))),
    h("td", {}, verified === null ? "—" : h("span", { class: verified ? "badge ok" : "badge warn" },
      verified ? "Verified" : "Not verified")),
    h("td", {}, formatTime(user.timeJoined)));
}
