// The audit log, newest first, filtered by actor, action and target; targets link to their users.

import { api } from "./api.js";
import { errorBox, formatTime, h } from "./dom.js";

export async function renderActivity(state, main) {
  const p = new URLSearchParams(window.location.search);
  const fields = ["actor", "action", "targetId"].map((name) => h("input", {
    id: `f-${name}`, name, value: p.get(name) || "", placeholder: name === "targetId" ? "Target (user id)" : name,
    "aria-label": `Filter by ${name === "targetId" ? "target" : name}`, "data-search": name === "actor" ? "" : false,
  }));
  const form = h("form", { class: "row toolbar", role: "search" }, fields, h("button", { type: "submit" }, "Filter"));
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
        h("td", {}, formatTime(e.time)), h("td", {}, e.actor), h("td", {}, h("code", {}, e.action)),
        h("td", {}, e.targetType === "user" && e.targetId
          ? h("a", { href: `${state.appPath}/users/${encodeURIComponent(e.targetId)}`, onclick: state.linkHandler }, e.targetId)
          : e.targetId || ""),
        h("td", {}, e.summary || "")))))
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
