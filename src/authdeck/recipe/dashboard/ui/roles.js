// Roles & permissions: list with permission chips, filter by name, create, add/remove permissions, delete.

import { api } from "./api.js";
import { confirmDialog, errorBox, h, writeButton } from "./dom.js";

async function attempt(where, fn) {
  where.replaceChildren();
  try { await fn(); } catch (err) { where.replaceChildren(errorBox(err.message)); }
}

export async function renderRoles(state, main) {
  const filter = h("input", { type: "search", id: "role-filter", "data-search": "", placeholder: "Filter roles by name",
    "aria-label": "Filter roles by name" });
  const list = h("div", {}, h("p", { class: "muted" }, "Loading roles…"));
  const name = h("input", { id: "new-role", placeholder: "Role name", "aria-label": "New role name", disabled: !state.me.canWrite });
  const perms = h("input", { id: "new-perms", placeholder: "Permissions, comma separated", "aria-label": "Permissions",
    disabled: !state.me.canWrite });
  const where = h("div");
  let rows = [];
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = rows.filter((r) => r.role.toLowerCase().includes(q));
    list.replaceChildren(...(shown.length ? shown.map((r) => roleCard(state, r, load))
      : [h("p", { class: "empty" }, rows.length ? "No role matches this filter." : "No roles yet.")]));
  };
  const load = async () => {
    try {
      const { roles } = await api("GET", "/userroles/roles");
      rows = await Promise.all(roles.map(async (role) => ({
        role, permissions: (await api("GET", "/userroles/role/permissions", { query: { role } })).permissions,
      })));
      draw();
    } catch (err) { list.replaceChildren(errorBox(err.message)); }
  };
  filter.addEventListener("input", draw);
  const create = writeButton(state, "Create role", () => name.value.trim() && attempt(where, async () => {
    const permissions = perms.value.split(",").map((p) => p.trim()).filter(Boolean);
    await api("PUT", "/userroles/role", { body: { role: name.value.trim(), permissions } });
    name.value = ""; perms.value = "";
    load();
  }));
  main.replaceChildren(h("h1", {}, "Roles & permissions"),
    h("section", { class: "card" }, h("h2", {}, "New role"), h("div", { class: "row" }, name, perms, create), where),
    h("div", { class: "row toolbar" }, filter), list);
  load();
}

function roleCard(state, row, reload) {
  const where = h("div");
  const perm = h("input", { placeholder: "New permission", "aria-label": `New permission for ${row.role}`,
    disabled: !state.me.canWrite });
  return h("section", { class: "card" },
    h("div", { class: "row between" }, h("h2", {}, row.role),
      writeButton(state, "Delete", async () => {
        if (await confirmDialog("Delete role", `Delete the role "${row.role}"? Users lose it.`, "Delete")) {
          attempt(where, async () => { await api("DELETE", "/userroles/role", { query: { role: row.role } }); reload(); });
        }
      }, { class: "danger small" })),
    h("div", { class: "chips" }, row.permissions.length ? row.permissions.map((p) => h("span", { class: "chip" }, p,
      writeButton(state, "×", () => attempt(where, async () => {
        await api("PUT", "/userroles/role/permissions/remove", { body: { role: row.role, permissions: [p] } });
        reload();
      }), { class: "chip-x", "aria-label": `Remove permission ${p}` }))) : h("span", { class: "muted" }, "No permissions")),
    h("div", { class: "row" }, perm, writeButton(state, "Add permission", () => perm.value.trim() && attempt(where, async () => {
      await api("PUT", "/userroles/role/permissions", { body: { role: row.role, permissions: [perm.value.trim()] } });
      reload();
    }), { class: "secondary" })),
    where);
}
