// One user: id, names, login methods (verification, password), roles, metadata, sessions, delete, audit trail.
// Each section loads and fails on its own, so one error never blanks the page.

import { api } from "./api.js";
import { appName, confirmDialog, copyButton, errorBox, formatSummary, formatTime, h, writeButton } from "./dom.js";
import { displayName, METHODS } from "./users.js";

function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

// Runs a write and shows its error (a 403 included) next to the control that caused it.
async function attempt(where, fn) {
  where.replaceChildren();
  try { await fn(); return true; } catch (err) { where.replaceChildren(errorBox(err.message)); return false; }
}

export async function renderUser(state, main, userId) {
  main.replaceChildren(h("p", { class: "muted" }, "Loading user…"));
  let user;
  try {
    const reply = await api("GET", "/user", { query: { userId } });
    user = reply.user;
  } catch (err) {
    main.replaceChildren(errorBox(err.body && err.body.status === "NO_USER_FOUND_ERROR" ? "No user has this id." : err.message));
    return;
  }
  document.title = `${displayName(user)} · ${appName(state.config)} · User Management Dashboard`;
  const reload = () => renderUser(state, main, userId);
  main.replaceChildren(
    h("a", { href: state.appPath, onclick: state.linkHandler, class: "back" }, "← All users"),
    h("div", { class: "row between" }, h("h1", { "data-user-name": "" }, displayName(user)),
      deleteControl(state, user)),
    h("p", { class: "row" }, h("span", { class: "muted" }, "User id"), h("code", { "data-user-id": "" }, user.id),
      copyButton(user.id, "Copy id")),
    h("p", { class: "muted" }, `Signed up ${formatTime(user.timeJoined)}`),
    namesSection(state, user, reload),
    loginMethodsSection(state, user, reload),
    rolesSection(state, user),
    metadataSection(state, user),
    sessionsSection(state, user),
    auditSection(state, user));
}

function deleteControl(state, user) {
  const where = h("span");
  const button = writeButton(state, "Delete user", async () => {
    const ok = await confirmDialog("Delete user",
      `Delete ${displayName(user)} (${user.id})? This removes the user and their data and cannot be undone.`, "Delete");
    if (!ok) return;
    if (await attempt(where, () => api("DELETE", "/user", { query: { userId: user.id } }))) state.navigate(state.appPath);
  }, { class: "danger", "data-delete": "" });
  return h("div", {}, button, where);
}

function namesSection(state, user, reload) {
  const first = h("input", { id: "first-name", value: user.firstName || "", disabled: !state.me.canWrite });
  const last = h("input", { id: "last-name", value: user.lastName || "", disabled: !state.me.canWrite });
  const where = h("div");
  const method = (user.loginMethods || [])[0];
  const save = writeButton(state, "Save name", () => attempt(where, async () => {
    await api("PUT", "/user", { body: {
      recipeUserId: method ? method.recipeUserId : user.id, recipeId: method ? method.recipeId : "emailpassword",
      firstName: first.value, lastName: last.value, email: "", phone: "",
    } });
    reload();
  }));
  return section("Name",
    h("div", { class: "grid2" }, h("label", { for: "first-name" }, "First name", first),
      h("label", { for: "last-name" }, "Last name", last)), h("div", { class: "row" }, save), where);
}

function loginMethodsSection(state, user, reload) {
  return section("Login methods", (user.loginMethods || []).map((m) => loginMethod(state, user, m, reload)));
}

function loginMethod(state, user, method, reload) {
  const where = h("div");
  const verified = method.verified;
  const rows = [h("div", { class: "row" },
    h("span", { class: "chip" }, METHODS[method.recipeId] || method.recipeId),
    method.email ? h("span", {}, method.email) : null,
    method.phoneNumber ? h("span", {}, method.phoneNumber) : null,
    method.email ? h("span", { class: verified ? "badge ok" : "badge warn" }, verified ? "Verified" : "Not verified") : null)];
  if (method.email) {
    rows.push(h("div", { class: "row" },
      writeButton(state, verified ? "Mark unverified" : "Mark verified", () => attempt(where, async () => {
        await api("PUT", "/user/email/verify", { body: { recipeUserId: method.recipeUserId, verified: !verified } });
        reload();
      })),
      verified ? null : writeButton(state, "Send verification email", () => attempt(where, async () => {
        await api("POST", "/user/email/verify/token", { body: { recipeUserId: method.recipeUserId } });
        where.replaceChildren(h("p", { class: "notice" }, "Verification email sent."));
      }))));
  }
  if (method.recipeId === "emailpassword") {
    const newEmail = h("input", { type: "email", id: `email-${method.recipeUserId}`, value: method.email || "",
      disabled: !state.me.canWrite });
    rows.push(h("form", { class: "row", onsubmit: (e) => e.preventDefault() },
      h("label", { for: newEmail.id }, "Email"), newEmail,
      writeButton(state, "Save email", () => attempt(where, async () => {
        await api("PUT", "/user", { body: { recipeUserId: method.recipeUserId, recipeId: method.recipeId,
          firstName: "", lastName: "", email: newEmail.value.trim(), phone: "" } });
        reload();
      }))));
    const policy = h("p", { class: "muted small", id: `pw-policy-${method.recipeUserId}`, "data-password-policy": "" },
      "At least 8 characters, with at least one letter and one number; fewer than 100 characters. (The default " +
      "policy: if the app sets its own, the app's message shows below when a password breaks it.)");
    const pwWhere = h("div", { "data-password-result": "" });
    const pw = h("input", { type: "password", id: `pw-${method.recipeUserId}`, autocomplete: "new-password",
      disabled: !state.me.canWrite, "aria-describedby": policy.id });
    const change = async () => {
      if (!pw.value) { pwWhere.replaceChildren(errorBox("Enter the new password first.")); return; }
      await attempt(pwWhere, async () => {
        await api("PUT", "/user/password", { body: { recipeUserId: method.recipeUserId, newPassword: pw.value } });
        pw.value = "";
        pwWhere.replaceChildren(h("p", { class: "notice" }, "Password changed."));
      });
    };
    rows.push(h("form", { class: "row", onsubmit: (e) => { e.preventDefault(); if (state.me.canWrite) change(); } },
      h("label", { for: pw.id }, "New password"), pw, writeButton(state, "Change password", change)), policy, pwWhere);
  }
  return h("div", { class: "method" }, rows, where);
}

function rolesSection(state, user) {
  const list = h("div", { class: "chips" }, "Loading…");
  const where = h("div");
  const picker = h("select", { id: "add-role", "aria-label": "Role to add", disabled: !state.me.canWrite });
  const load = async () => {
    try {
      const [mine, all] = await Promise.all([api("GET", "/userroles/user/roles", { query: { userId: user.id } }),
        api("GET", "/userroles/roles")]);
      list.replaceChildren(...(mine.roles.length ? mine.roles.map((role) => h("span", { class: "chip" }, role,
        writeButton(state, "×", () => attempt(where, async () => {
          await api("DELETE", "/userroles/user/roles", { query: { userId: user.id, role } });
          load();
        }), { class: "chip-x", "aria-label": `Remove role ${role}` }))) : [h("span", { class: "muted" }, "No roles")]));
      const roles = (all.roles || []).map((r) => (typeof r === "string" ? r : r.role)).filter((r) => !mine.roles.includes(r));
      picker.replaceChildren(...roles.map((r) => h("option", { value: r }, r)));
      const none = !roles.length;
      picker.hidden = none;
      add.hidden = none;
      hint.replaceChildren(...(none ? [(all.roles || []).length ? "This user has every role there is. " : "No roles exist yet. ",
        h("a", { href: `${state.appPath}/roles`, onclick: state.linkHandler }, "Create roles"),
        " on Roles & permissions."] : []));
    } catch (err) { list.replaceChildren(errorBox(err.message)); }
  };
  const hint = h("span", { class: "muted" });
  const add = writeButton(state, "Add role", () => picker.value && attempt(where, async () => {
    await api("PUT", "/userroles/user/roles", { body: { userId: user.id, role: picker.value } });
    load();
  }));
  load();
  return section("Roles", list, h("div", { class: "row" }, picker, add, hint), where);
}

function metadataSection(state, user) {
  const editor = h("textarea", { id: "metadata", rows: 8, spellcheck: "false", "aria-label": "Metadata as JSON",
    readonly: !state.me.canWrite });
  const where = h("div");
  api("GET", "/user/metadata", { query: { userId: user.id } })
    .then((reply) => { editor.value = JSON.stringify(reply.data, null, 2); })
    .catch((err) => where.replaceChildren(errorBox(err.message)));
  const save = writeButton(state, "Save metadata", () => {
    let parsed;
    try { parsed = JSON.parse(editor.value); } catch { parsed = undefined; }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      where.replaceChildren(errorBox("Metadata must be a JSON object, like {\"key\": \"value\"}."));
      return;
    }
    attempt(where, async () => {
      await api("PUT", "/user/metadata", { body: { userId: user.id, data: JSON.stringify(parsed) } });
      where.replaceChildren(h("p", { class: "notice" }, "Metadata saved."));
    });
  });
  return section("Metadata", editor, h("div", { class: "row" }, save), where);
}

function sessionsSection(state, user) {
  const body = h("div", {}, "Loading…");
  const where = h("div");
  const revoke = (handles) => attempt(where, async () => {
    await api("POST", "/user/sessions", { body: { sessionHandles: handles } });
    load();
  });
  const load = async () => {
    try {
      const { sessions } = await api("GET", "/user/sessions", { query: { userId: user.id } });
      if (!sessions.length) { body.replaceChildren(h("p", { class: "muted" }, "No active sessions.")); return; }
      body.replaceChildren(h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ["Session", "Created", "Expires", ""].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, sessions.map((s) => h("tr", {}, h("td", {}, h("code", {}, s.sessionHandle)),
          h("td", {}, formatTime(s.timeCreated)), h("td", {}, formatTime(s.expiry)),
          h("td", {}, writeButton(state, "Revoke", () => revoke([s.sessionHandle]), { class: "secondary small" }))))))),
      h("div", { class: "row" }, writeButton(state, "Revoke all", () => revoke(sessions.map((s) => s.sessionHandle)),
        { class: "danger" })));
    } catch (err) { body.replaceChildren(errorBox(err.message)); }
  };
  load();
  return section("Sessions", body, where);
}

function auditSection(state, user) {
  const body = h("div", {}, "Loading…");
  api("GET", "/audit", { query: { targetId: user.id, limit: 20 } }).then((reply) => {
    const entries = reply.entries || [];
    body.replaceChildren(entries.length ? h("ul", { class: "audit" }, entries.map((e) => h("li", {},
      h("span", { class: "muted" }, formatTime(e.time)), " ", h("strong", {}, e.action), ` by ${e.actor}`,
      formatSummary(e.summary) ? ` — ${formatSummary(e.summary)}` : ""))) : h("p", { class: "muted" }, "No dashboard changes recorded for this user."));
  }).catch((err) => body.replaceChildren(errorBox(err.message)));
  return section("Activity", body);
}
