// The customer side of web chat: one session token in localStorage, messages by long poll.
(function () {
  "use strict";
  const root = document.getElementById("chat");
  const list = document.getElementById("messages");
  const start = document.getElementById("start");
  const compose = document.getElementById("compose");
  const body = document.getElementById("body");
  const status = document.getElementById("status");
  const STORE = "switchboard.webchat.token";
  let token = localStorage.getItem(STORE);
  let last = 0;
  let polling = null;
  const seen = new Set();

  function show(message) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    last = Math.max(last, message.id);
    const item = document.createElement("li");
    item.className = message.direction === "inbound" ? "mine" : "theirs";
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = message.direction === "inbound" ? root.dataset.you : root.dataset.agent;
    // A reply's HTML comes sanitized from the server (and the page's policy runs no inline
    // script); the visitor's own words are shown as typed.
    const text = document.createElement(message.html ? "div" : "p");
    if (message.html) {
      text.className = "rich";
      text.innerHTML = message.html;
    } else {
      text.textContent = message.body;
    }
    const time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = new Date(message.created_at).toLocaleTimeString(root.dataset.locale, { hour: "2-digit", minute: "2-digit" });
    item.append(who, text);
    (message.attachments || []).forEach((a) => {
      // The file needs the session token, which a plain link cannot carry.
      const link = document.createElement("a");
      link.className = "file";
      link.href = "#";
      link.textContent = a.filename;
      link.addEventListener("click", async (event) => {
        event.preventDefault();
        const response = await fetch("/webchat/v1/attachments/" + a.id, { headers: { Authorization: "Bearer " + token } });
        if (!response.ok) return trouble(true);
        const url = URL.createObjectURL(await response.blob());
        const save = document.createElement("a");
        save.href = url;
        save.download = a.filename;
        save.click();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      });
      item.append(link);
    });
    if ((message.buttons || []).length) {
      // Choices offered with a reply: pressing one sends its id; it is stored as its label.
      const choices = document.createElement("div");
      choices.className = "choices";
      message.buttons.forEach((b) => {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.label;
        button.addEventListener("click", () => {
          choices.querySelectorAll("button").forEach((other) => (other.disabled = true));
          send({ choice: b.id });
        });
        choices.append(button);
      });
      item.append(choices);
    }
    item.append(time);
    list.append(item);
    item.scrollIntoView({ block: "end" });
  }

  function trouble(on) {
    status.hidden = !on;
    status.textContent = on ? root.dataset.error : "";
  }

  async function call(method, path, payload, signal) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch(path, { method, headers, signal, body: payload ? JSON.stringify(payload) : undefined });
    if (response.status === 401 && token) {
      localStorage.removeItem(STORE);
      token = null;
      begin();
      throw new Error("session expired");
    }
    if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || response.statusText);
    return response.json();
  }

  // One long poll at a time; a send restarts it so that the reply to a first message, which the
  // server could not yet tie to this visitor, is not left waiting for the poll's deadline.
  async function poll() {
    if (polling) polling.abort();
    const mine = new AbortController();
    polling = mine;
    while (token && !mine.signal.aborted) {
      try {
        const page = await call("GET", "/webchat/v1/messages?after=" + last + "&wait=25", null, mine.signal);
        page.messages.forEach(show);
        // The visitor chose another language (/lang): the page's own words follow.
        if (page.locale && page.locale !== root.dataset.locale) {
          location.replace("/chat?lang=" + encodeURIComponent(page.locale));
          return;
        }
        trouble(false);
      } catch (e) {
        if (mine.signal.aborted) return;
        trouble(true);
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
  }

  function begin() {
    start.hidden = !!token;
    compose.hidden = !token;
    if (token) {
      body.focus();
      poll();
    }
  }

  start.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const session = await call("POST", "/webchat/v1/sessions", {
        name: document.getElementById("name").value || null,
        locale: root.dataset.locale || navigator.language,
      });
      token = session.session_token;
      localStorage.setItem(STORE, token);
      trouble(false);
      begin();
    } catch (e) {
      trouble(true);
    }
  });

  // Sends a message (a text, or a choice pressed), retrying with the same client id so that a
  // retry is never a second message.
  async function send(message) {
    const clientId = (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random();
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        show(await call("POST", "/webchat/v1/messages", { ...message, client_id: clientId }));
        trouble(false);
        poll();
        return true;
      } catch (e) {
        trouble(true);
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
      }
    }
    return false;
  }

  compose.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = body.value.trim();
    if (!text) return;
    if (await send({ body: text })) body.value = "";
  });

  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      compose.requestSubmit();
    }
  });

  begin();
})();
