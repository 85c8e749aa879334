// Small DOM helpers: elements are built with createElement and textContent only (no innerHTML, no inline style),
// so the UI runs under the dashboard's strict CSP and never interprets data as markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value") el.value = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// The app's name from InputAppInfo.app_name, as the server put it in the page configuration.
export function appName(config) {
  return (config && typeof config.appName === "string" && config.appName.trim()) || "your app";
}

export function errorBox(message) {
  return h("p", { class: "error", role: "alert" }, message);
}

// An audit entry's summary (a JSON object, e.g. {"role": "editor"}) as "role: editor"; "" when empty.
export function formatSummary(summary) {
  if (summary === null || summary === undefined) return "";
  if (typeof summary !== "object") return String(summary);
  const show = (v) => (Array.isArray(v) ? v.map(show).join(", ")
    : v !== null && typeof v === "object" ? JSON.stringify(v) : String(v));
  const empty = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length);
  return Object.entries(summary).filter(([, value]) => !empty(value))
    .map(([key, value]) => `${key}: ${show(value)}`).join("; ");
}

export function formatTime(ms) {
  if (typeof ms !== "number") return "";
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// One polite live region, so screen readers hear outcomes that are not shown as text in place (like "Copied").
export function announce(message) {
  let region = document.getElementById("announcer");
  if (!region) {
    region = h("div", { id: "announcer", class: "offscreen", role: "status", "aria-live": "polite" });
    document.body.append(region);
  }
  region.textContent = message;
}

export async function copyText(text, button) {
  let done = false;
  try {
    await navigator.clipboard.writeText(text);
    done = true;
  } catch {
    // Clipboard API needs a secure context; fall back to a selected textarea.
    const area = h("textarea", { class: "offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    done = document.execCommand("copy");
    area.remove();
  }
  announce(done ? "Copied to the clipboard." : "Copying failed; select the text and copy it by hand.");
  if (button) {
    const label = button.textContent;
    button.textContent = done ? "Copied" : "Copy failed";
    setTimeout(() => { button.textContent = label; }, 1500);
  }
}

// `name` is what screen readers (and tests) call the button when its short label is not enough.
export function copyButton(text, label = "Copy", name = label) {
  const button = h("button", { type: "button", class: "secondary small", title: name, "aria-label": name }, label);
  button.addEventListener("click", () => copyText(typeof text === "function" ? text() : text, button));
  return button;
}

// A write control: disabled with a reason for read-only dashboard users.
export function writeButton(state, label, onclick, attrs = {}) {
  const readOnly = !state.me.canWrite;
  return h("button", {
    type: "button", ...attrs, disabled: readOnly,
    title: readOnly ? "Read-only: your dashboard account may view but not change data" : attrs.title,
    onclick,
  }, label);
}

// A modal <dialog>; Esc closes it natively. Resolves with the button value chosen.
export function confirmDialog(title, text, confirmLabel, danger = true) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": "dialog-title" },
      h("h2", { id: "dialog-title" }, title),
      h("p", {}, text),
      h("div", { class: "row end" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close("cancel") }, "Cancel"),
        h("button", { type: "button", class: danger ? "danger" : "", onclick: () => dialog.close("ok") }, confirmLabel)));
    dialog.addEventListener("close", () => { dialog.remove(); resolve(dialog.returnValue === "ok"); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
