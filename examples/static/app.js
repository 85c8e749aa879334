// Signs up or in through the SDK's own routes, in cookie mode, then shows the protected page.
"use strict";

const form = document.getElementById("auth-form");
const message = document.getElementById("message");
let action = "signin";

for (const button of form.querySelectorAll("button[data-action]")) {
  button.addEventListener("click", () => { action = button.dataset.action; });
}

function say(text) { message.textContent = text; }

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const formFields = [
    { id: "email", value: document.getElementById("email").value },
    { id: "password", value: document.getElementById("password").value },
  ];
  say("…");
  let reply;
  try {
    const response = await fetch(`/auth/${action}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", rid: "emailpassword", "st-auth-mode": "cookie" },
      body: JSON.stringify({ formFields }),
    });
    reply = await response.json();
  } catch (err) {
    say(`Could not reach the app: ${err}`);
    return;
  }
  if (reply.status === "OK") {
    window.location.href = "/session-info";
  } else if (reply.status === "FIELD_ERROR") {
    say(reply.formFields.map((f) => `${f.id}: ${f.error}`).join("; "));
  } else if (reply.status === "WRONG_CREDENTIALS_ERROR") {
    say("Wrong email or password.");
  } else {
    say(reply.message || reply.reason || reply.status);
  }
});
