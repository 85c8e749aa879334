// The audit log, newest first, filtered by actor, action and target; targets link to their users.

import { api } from "./api.js";
import { errorBox, formatSummary, formatTime, h } from "./dom.js";

// The actions the core records (its audit.ACTIONS); an unknown one from a shared link is kept as an option.
const ACTIONS = [
  "user.create", "user.update", "user.delete", "user.password.change", "user.email.verify", "user.email.unverify",
  "user.email.verification-sent", "user.metadata.update", "user.sessions.revoke", "user.roles.add",
  "user.roles.remove", "user.unlink", "role.create", "role.delete", "role.permissions.add", "role.permissions.remove",
  "tenant.create", "tenant.update", "tenant.delete",
];

export async function renderActivity(state, main) {
  const p = new URLSearchParams(window.location.search);
  const actor = h("input", { id: "f-actor", name: "actor", value: p.get("actor") || "", "data-search": "",
    placeholder: "Actor (email)", "aria-label": "Filter by actor" });
  const chosen = p.get("action") || "";
  const action = h("select", { id: "f-action", name: "action", "aria-label": "Filter by action" },
    h("option", { value: "" }, "Any action"),
    [...new Set([...ACTIONS, ...(chosen ? [chosen] : [])])].map((a) => h("option", { value: a, selected: a === chosen }, a)));
  const target = h("input", { id: "f-targetId", name: "targetId", value: p.get("targetId") || "",
    placeholder: "Target (user id or role)", "aria-label": "Filter by target" });
  const fields = [actor, action, target];
  const form = h("form", { class: "row toolbar", role: "search" }, fields, h("button", { type: "submit" }, "Filter"));
  action.addEventListener("change", () => form.requestSubmit());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of fields) if (f.value.trim()) q.set(f.name, f.value.trim());
    state.navigate(`${state.appPath}/activity${q.toString() ? `?${q}` : ""}`);
  });
  const body = h("div", { class: "table-wrap" }, h("p", { class: "muted" }, "Loading activity…"));
  const pager = h("div", { class: "row" });
  main.replaceChildren(h("h1", {}, "Activity"), form, body, pager);
  const query = { limit: 50, actor: p.get("actor"), action: p.get("action"), targetId: p.get("targetId"),
    paginationToken: p.get("token") };
  try {
    const reply = await api("GET", "/audit", { query });
    const entries = reply.entries || [];
    body.replaceChildren(entries.length ? h("table", {},
      h("thead", {}, h("tr", {}, ["Time", "Actor", "Action", "Target", "Summary"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, entries.map((e) => h("tr", {},
        h("td", {}, formatTime(e.time)), h("td", {}, e.actor), h("td", {}, h("code", { class: "action" }, e.action)),
        h("td", {}, e.targetType === "user" && e.targetId
          ? h("a", { href: `${state.appPath}/users/${encodeURIComponent(e.targetId)}`, onclick: state.linkHandler }, e.targetId)
          : e.targetId || ""),
        h("td", {}, formatSummary(e.summary))))))
      : h("p", { class: "empty" }, "No dashboard changes recorded yet."));
    if (reply.nextPaginationToken) {
      const q = new URLSearchParams(window.location.search);
      q.set("token", reply.nextPaginationToken);
      pager.replaceChildren(h("a", { href: `${state.appPath}/activity?${q}`, onclick: state.linkHandler }, "Older entries →"));
    }
  } catch (err) {
    body.replaceChildren(errorBox(err.message));
  }
}
