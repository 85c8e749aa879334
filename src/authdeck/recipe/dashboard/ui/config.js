// The page configuration the server put in #authdeck-config (a JSON data element: no inline script).

const element = document.getElementById("authdeck-config");
export const config = element ? JSON.parse(element.textContent || "{}") : {};
