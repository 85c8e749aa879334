// authdeck dashboard UI entry point. The full UI arrives with the next issue; this reads the configuration the
// server put in #authdeck-config (no inline script: the page runs under script-src 'self') and shows the title.

const configElement = document.getElementById("authdeck-config");
const config = configElement ? JSON.parse(configElement.textContent || "{}") : {};

const root = document.getElementById("root");
if (root) {
  const title = document.createElement("h1");
  title.textContent = "authdeck dashboard";
  root.replaceChildren(title);
  root.dataset.authMode = String(config.authMode || "");
}

export { config };
