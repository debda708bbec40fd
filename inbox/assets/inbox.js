// The agents' inbox: every change goes through /api/v1; the server renders what is shown, and
// live events (Server-Sent Events) swap in freshly rendered fragments.
(function () {
  "use strict";
  const body = document.body;
  const page = body.dataset.page;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  async function api(method, path, payload) {
    const headers = { "X-CSRF-Token": csrf };
    const form = payload instanceof FormData;
    if (payload !== undefined && !form) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: payload === undefined || form ? payload : JSON.stringify(payload),
    });
    if (response.status === 401) {
      location.href = "/login";
      throw new Error("signed out");
    }
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      const failure = new Error(error.error || response.statusText);
      failure.code = error.code;
      throw failure;
    }
    return response.status === 204 ? null : response.json();
  }

  // Errors the interface words itself (in the agent's language) by the API's code; others as
  // the API words them. Shown away from the composer, until dismissed or for 12 s.
  function complain(error) {
    const alerts = document.getElementById("alerts");
    const worded = error.code && body.dataset[error.code];
    const text = worded || (body.dataset.error || "Error:") + " " + error.message;
    if (!alerts) return alert(text);
    const item = document.createElement("p");
    item.className = "alert error";
    item.setAttribute("role", "alert");
    item.textContent = text;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "dismiss";
    dismiss.setAttribute("aria-label", body.dataset.dismiss || "Dismiss");
    dismiss.textContent = "×";
    dismiss.addEventListener("click", () => item.remove());
    item.append(" ", dismiss);
    alerts.append(item);
    setTimeout(() => item.remove(), 12000);
  }

  // Times arrive as RFC 3339; show them in the agent's zone, waiting times as "12 min".
  function formatTimes(root) {
    const locale = body.dataset.locale || undefined;
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
    root.querySelectorAll("time[datetime]").forEach((el) => {
      const at = new Date(el.getAttribute("datetime"));
      if (isNaN(at)) return;
      el.title = at.toLocaleString(locale);
      if (el.hasAttribute("data-relative")) {
        const minutes = Math.round((at - Date.now()) / 60000);
        el.textContent = Math.abs(minutes) < 60 ? relative.format(minutes, "minute")
          : Math.abs(minutes) < 2880 ? relative.format(Math.round(minutes / 60), "hour")
          : relative.format(Math.round(minutes / 1440), "day");
      } else {
        const sameDay = at.toDateString() === new Date().toDateString();
        el.textContent = sameDay ? at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })
          : at.toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
      }
    });
  }

  async function swap(id, url) {
    const el = document.getElementById(id);
    if (!el) return;
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.status === 401 || response.redirected) return (location.href = "/login");
    if (!response.ok) return;
    el.innerHTML = await response.text(); // rendered and escaped by the server
    formatTimes(el);
    lookups(el);
  }

  // Lookup cards: each transaction hash and address in a thread as the configured chains see
  // it, asked once per page (the server caches too) and again on Refresh. Built with
  // textContent only: what a chain answers is never markup.
  const looked = new Map();
  const lookupPath = (card) =>
    card.dataset.value !== undefined
      ? "/api/v1/tx/" + encodeURIComponent(card.dataset.value)
      : "/api/v1/addresses/" + encodeURIComponent(card.dataset.address);
  function lookups(root) {
    root.querySelectorAll(".lookup").forEach((card) => {
      const known = looked.get(lookupPath(card));
      if (known) showLookup(card, known);
      else lookUp(card, false);
    });
  }
  function lookUp(card, fresh) {
    const words = card.closest("[data-lookups]").dataset;
    const path = lookupPath(card);
    card.classList.add("busy");
    card.textContent = words.lookupLooking;
    api("GET", path + (fresh ? "?fresh=true" : "")).then(
      (result) => {
        looked.set(path, result);
        document.querySelectorAll(".lookup").forEach((c) => lookupPath(c) === path && showLookup(c, result));
      },
      (error) => {
        card.classList.remove("busy");
        card.textContent = words.lookupError + " " + error.message + " ";
        card.append(refreshButton(card, words));
      },
    );
  }
  function refreshButton(card, words) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "refresh";
    button.textContent = words.lookupRefresh;
    button.addEventListener("click", () => lookUp(card, true));
    return button;
  }
  function showLookup(card, lookup) {
    const words = card.closest("[data-lookups]").dataset;
    const line = (className, ...parts) => {
      const p = document.createElement("p");
      p.className = className;
      p.textContent = parts.filter((x) => x !== null && x !== undefined && x !== "").join(" ");
      return p;
    };
    card.classList.remove("busy");
    card.replaceChildren();
    for (const r of lookup.results) {
      if (r.balance !== undefined) {
        const held = [r.network + ":", words.lookupBalance, r.balance, r.symbol];
        if (r.transactions !== null) held.push("·", r.transactions, words.lookupTransactions);
        if (!r.used) held.push("·", words.lookupUnused);
        card.append(line("lookup-head", ...held));
        continue;
      }
      const status = r.credited ? "credited" : r.status;
      const head = line("lookup-head", r.network + ":");
      const badge = document.createElement("span");
      badge.className = "lookup-status " + status;
      badge.textContent = words["lookup" + status[0].toUpperCase() + status.slice(1)];
      head.append(" ", badge);
      if (r.status !== "not_found") {
        head.append(" " + r.confirmations + "/" + r.required_confirmations + " " + words.lookupConfirmations);
        if (r.block !== null) head.append(" · " + words.lookupBlock + " " + r.block);
        if (r.eta_seconds) {
          const minutes = new Intl.NumberFormat(body.dataset.locale || undefined, { style: "unit", unit: "minute" });
          head.append(" · " + words.lookupEta + " " + minutes.format(Math.max(1, Math.round(r.eta_seconds / 60))));
        }
      }
      card.append(head);
      if (r.reorganized_from_block !== null) card.append(line("lookup-reorg", words.lookupReorg, r.reorganized_from_block));
      if (r.amount && r.amount !== "0") card.append(line("lookup-moved", words.lookupMoved, r.amount, r.symbol, r.from, "→", r.to));
      for (const t of r.tokens) {
        card.append(line("lookup-moved", words.lookupMoved, t.amount, t.symbol || t.contract, t.from, "→", t.to));
      }
    }
    for (const e of lookup.errors) card.append(line("lookup-error", e.network + ":", words.lookupError, e.error));
    card.append(refreshButton(card, words));
  }

  function beep() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (e) { /* no audio: the banner is enough */ }
  }

  function common() {
    formatTimes(document);
    lookups(document);
    const signOut = document.getElementById("sign-out");
    if (signOut) signOut.addEventListener("click", () => api("POST", "/api/v1/logout").finally(() => (location.href = "/login")));
    const availability = document.getElementById("availability");
    if (availability)
      availability.addEventListener("change", () =>
        api("PATCH", "/api/v1/me", { availability: availability.value }).catch(complain),
      );
    const language = document.getElementById("ui-language");
    if (language) language.addEventListener("change", () => api("PATCH", "/api/v1/me", { locale: language.value }).then(() => location.reload(), complain));
    const sound = document.getElementById("sound");
    if (sound) {
      sound.checked = localStorage.getItem("switchboard.sound") === "on";
      sound.addEventListener("change", () => localStorage.setItem("switchboard.sound", sound.checked ? "on" : "off"));
    }
  }

  function login() {
    const form = document.getElementById("login");
    const error = form.querySelector(".error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        const response = await fetch("/api/v1/login", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ email: form.email.value, password: form.password.value }),
        });
        if (!response.ok) {
          const reason = await response.json().catch(() => ({}));
          error.textContent = response.status === 401 ? form.dataset.failed : reason.error || response.statusText;
          error.hidden = false;
          return;
        }
        location.href = "/inbox";
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    });
  }

  // Several conversations picked in the list, changed at once. The picks outlive the list's
  // live refreshes.
  function bulk(list, refreshed) {
    const form = document.getElementById("bulk");
    if (!form) return;
    const picked = new Set();
    const show = () => {
      form.hidden = picked.size === 0;
      document.getElementById("bulk-count").textContent = picked.size;
      list.querySelectorAll("input.pick").forEach((box) => (box.checked = picked.has(Number(box.dataset.pick))));
    };
    list.addEventListener("change", (event) => {
      const box = event.target.closest("input.pick");
      if (!box) return;
      const id = Number(box.dataset.pick);
      if (box.checked) picked.add(id);
      else picked.delete(id);
      show();
    });
    new MutationObserver(show).observe(list, { childList: true });
    api("GET", "/api/v1/agents").then((result) => {
      for (const agent of result.agents) form.assignee_id.add(new Option(agent.name, agent.id));
    }, () => {});
    document.getElementById("bulk-clear").addEventListener("click", () => {
      picked.clear();
      show();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const change = { ids: [...picked] };
      if (form.status.value) change.status = form.status.value;
      if (form.priority.value) change.priority = form.priority.value;
      if (form.assignee_id.value) change.assignee_id = form.assignee_id.value === "none" ? null : Number(form.assignee_id.value);
      if (form.tag.value.trim()) change.add_tags = [form.tag.value.trim()];
      api("POST", "/api/v1/conversations/bulk", change).then((result) => {
        if (result.failed.length) complain(new Error(result.failed.map((f) => "#" + f.id + ": " + f.error).join("; ")));
        picked.clear();
        form.reset();
        show();
        refreshed();
      }, complain);
    });
  }

  // Browser notifications for what needs this agent: a hand-off to people, a conversation
  // assigned to them, a mention in a note. Permission is asked once, from a button; what came
  // while the page was not looked at is counted in its title.
  function notifications() {
    const title = document.title;
    let unread = 0;
    const seen = () => {
      unread = 0;
      document.title = title;
    };
    window.addEventListener("focus", seen);
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && seen());
    const button = document.getElementById("notifications");
    const asked = localStorage.getItem("switchboard.notifications.asked") === "yes";
    if (button && "Notification" in window && window.Notification.permission === "default" && !asked) {
      button.hidden = false;
      button.addEventListener("click", () => {
        localStorage.setItem("switchboard.notifications.asked", "yes");
        button.hidden = true;
        window.Notification.requestPermission();
      });
    }
    return (text, conversation) => {
      unread += 1;
      document.title = "(" + unread + ") " + title;
      if (!("Notification" in window) || window.Notification.permission !== "granted") return;
      const shown = new window.Notification(text, { tag: "conversation-" + conversation });
      shown.onclick = () => {
        window.focus();
        location.href = "/inbox?status=all&c=" + conversation;
      };
    };
  }

  function inbox() {
    const list = document.getElementById("list");
    const notify = notifications();
    const me = Number(body.dataset.me);
    const meta = document.getElementById("meta");
    const thread = document.getElementById("thread");
    const composer = document.getElementById("composer");
    const current = meta ? Number(meta.dataset.conversation) : null;
    const alerts = document.getElementById("alerts");

    // The tab counts follow the same live events as the list.
    const refreshCounts = () =>
      api("GET", "/api/v1/conversations?limit=1").then((result) => {
        document.querySelectorAll("[data-count]").forEach((span) => {
          const count = result.counts[span.dataset.count];
          if (count !== undefined) span.textContent = count;
        });
      }, () => {});
    const refreshList = debounce(
      () => Promise.all([swap("list", "/inbox/fragments/list?" + list.dataset.query + (current ? "&c=" + current : "")), refreshCounts()]),
      250,
    );
    bulk(list, () => refreshList());
    const refreshMeta = () => current && swap("meta", "/inbox/fragments/meta/" + current);
    const refreshThread = () => current && swap("thread", "/inbox/fragments/thread/" + current).then(scrollThread);
    function scrollThread() {
      if (thread) thread.scrollTop = thread.scrollHeight;
    }
    scrollThread();

    if (meta) {
      meta.addEventListener("change", (event) => {
        const done = () => { refreshMeta(); refreshList(); };
        const part = event.target.dataset.complaint;
        if (part) {
          const value = part === "owner_id" ? (event.target.value === "" ? null : Number(event.target.value)) : event.target.value;
          api("PATCH", "/api/v1/conversations/" + current + "/complaint", { [part]: value }).then(done, complain);
          return;
        }
        if (event.target.dataset.incident !== undefined && event.target.value !== "") {
          api("POST", "/api/v1/incidents/" + event.target.value + "/conversations", { id: current }).then(done, complain);
          return;
        }
        const field = event.target.dataset.field;
        if (!field) return;
        let value = event.target.value;
        if (field === "assignee_id" || field === "team_id") value = value === "" ? null : Number(value);
        if (field === "tags") value = value.split(",").map((t) => t.trim()).filter(Boolean);
        api("PATCH", "/api/v1/conversations/" + current, { [field]: value }).then(() => { refreshMeta(); refreshList(); }, complain);
      });
      // A lead's quality review of a resolved conversation: every criterion scored.
      meta.addEventListener("submit", (event) => {
        if (event.target.id !== "review") return;
        event.preventDefault();
        const form = event.target;
        const scores = {};
        form.querySelectorAll("[data-criterion]").forEach((select) => (scores[select.name] = Number(select.value)));
        api("POST", "/api/v1/conversations/" + current + "/reviews", { scores, comment: form.comment.value })
          .then(refreshMeta, complain);
      });
      meta.addEventListener("click", (event) => {
        const action = event.target.dataset.action;
        if (!action) return;
        if (action === "complaint") {
          api("POST", "/api/v1/conversations/" + current + "/complaint").then(refreshMeta, complain);
          return;
        }
        setStatus(action === "resolve" ? "resolved" : "open");
      });
    }
    function setStatus(status) {
      return api("PATCH", "/api/v1/conversations/" + current, { status }).then(() => { refreshMeta(); refreshList(); }, complain);
    }

    if (composer) {
      const reply = document.getElementById("reply");
      const privateNote = document.getElementById("private");
      const channel = document.getElementById("channel");
      const canned = document.getElementById("canned");
      privateNote.addEventListener("change", () => composer.classList.toggle("note", privateNote.checked));
      // Canned responses, filled for this conversation: picked from the menu, or typed as
      // `/shortcut` followed by a space. One with files sends them with the reply.
      const responses = new Map();
      const shortcuts = new Map();
      let withFiles = null;
      const insert = (c, before, after) => {
        reply.value = before + c.body + after;
        const at = (before + c.body).length;
        reply.setSelectionRange(at, at);
        if (c.attachments && c.attachments.length) withFiles = c.id;
        composer.classList.toggle("with-canned-files", withFiles !== null);
      };
      api("GET", "/api/v1/canned_responses?conversation_id=" + current).then((result) => {
        result.canned_responses.forEach((c) => {
          responses.set(String(c.id), c);
          if (c.shortcut) shortcuts.set(c.shortcut, c);
          const files = c.attachments && c.attachments.length ? " 📎" + c.attachments.length : "";
          canned.append(new Option(c.title + (c.shortcut ? " · /" + c.shortcut : "") + files, c.id));
        });
      }, () => {});
      canned.addEventListener("change", () => {
        const c = responses.get(canned.value);
        canned.value = "";
        if (!c) return;
        insert(c, reply.value ? reply.value + "\n" : "", "");
        reply.focus();
      });
      reply.addEventListener("input", () => {
        const at = reply.selectionStart;
        const typed = /(^|\s)\/([a-z0-9_-]{1,32})\s$/.exec(reply.value.slice(0, at));
        const c = typed && shortcuts.get(typed[2]);
        if (!c) return;
        const start = at - typed[2].length - 2;
        insert(c, reply.value.slice(0, start), reply.value.slice(at));
      });
      composer.addEventListener("submit", async (event) => {
        event.preventDefault();
        const text = reply.value.trim();
        const files = document.getElementById("files");
        if (!text && !files.files.length) return;
        const button = composer.querySelector("button[type=submit]");
        button.disabled = true;
        try {
          const path = "/api/v1/conversations/" + current + "/messages";
          if (files.files.length) {
            // Files go as a form; the browser sets the multipart boundary.
            const form = new FormData();
            form.append("body", text);
            form.append("private", privateNote.checked ? "true" : "false");
            if (!privateNote.checked && channel.value) form.append("identity_id", channel.value);
            if (withFiles !== null) form.append("canned_id", withFiles);
            for (const file of files.files) form.append("file", file);
            await api("POST", path, form);
          } else {
            await api("POST", path, {
              body: text,
              private: privateNote.checked,
              identity_id: privateNote.checked || !channel.value ? null : Number(channel.value),
              canned_id: withFiles,
            });
          }
          reply.value = "";
          withFiles = null;
          composer.classList.remove("with-canned-files");
          files.value = "";
          refreshThread();
        } catch (e) {
          complain(e);
        } finally {
          button.disabled = false;
        }
      });
      reply.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) composer.requestSubmit();
      });
    }

    // Live updates.
    let source;
    function connect() {
      source = new EventSource("/api/v1/events");
      source.addEventListener("open", () => document.getElementById("live-lost")?.remove());
      const mine = (data) => current && data.conversation_id === current;
      source.addEventListener("message_created", (event) => {
        const data = JSON.parse(event.data);
        if (mine(data)) refreshThread();
        refreshList();
      });
      source.addEventListener("message_edited", (event) => {
        if (mine(JSON.parse(event.data))) refreshThread();
      });
      source.addEventListener("delivery_changed", (event) => {
        if (mine(JSON.parse(event.data))) refreshThread();
      });
      source.addEventListener("conversation_changed", (event) => {
        if (mine(JSON.parse(event.data))) refreshMeta();
        refreshList();
      });
      source.addEventListener("handed_off", (event) => {
        const data = JSON.parse(event.data);
        const item = document.createElement("p");
        item.className = "alert handoff";
        const link = document.createElement("a");
        link.href = "/inbox?c=" + data.conversation_id;
        link.textContent = "#" + (1000 + data.conversation_id);
        item.append(alerts.dataset.handoff + " ", link);
        alerts.append(item);
        setTimeout(() => item.remove(), 30000);
        if (localStorage.getItem("switchboard.sound") === "on") beep();
        notify(link.textContent + " · " + alerts.dataset.handoff, data.conversation_id);
      });
      // Each kind as the agent switched it (their settings on the agents page).
      const wants = JSON.parse(body.dataset.notify || "{}");
      const tell = (kind, text, conversation) => {
        if (wants[kind] !== false) notify(text + " #" + (1000 + conversation), conversation);
      };
      source.addEventListener("assigned", (event) => {
        const data = JSON.parse(event.data);
        if (data.assignee === me) tell("assigned", alerts.dataset.assigned, data.conversation_id);
      });
      source.addEventListener("mentioned", (event) => {
        const data = JSON.parse(event.data);
        if (data.agents.includes(me)) tell("mentions", alerts.dataset.mentioned, data.conversation_id);
      });
      source.addEventListener("sla", (event) => {
        const data = JSON.parse(event.data);
        if (data.conversation_id === current) refreshMeta();
        refreshList();
        if (data.agents.includes(me))
          tell("sla", data.breached ? alerts.dataset.slaBreach : alerts.dataset.slaWarning, data.conversation_id);
      });
      source.addEventListener("danger", (event) => {
        const data = JSON.parse(event.data);
        if (data.conversation_id === current) refreshMeta();
        refreshList();
        if (data.agents.includes(me)) tell("danger", alerts.dataset.danger, data.conversation_id);
      });
      source.addEventListener("incident_suggested", (event) => {
        // A surge: admins see it at once, and go to confirm or dismiss it.
        if (wants.incidents === false) return;
        const data = JSON.parse(event.data);
        const item = document.createElement("p");
        item.className = "alert incident";
        const link = document.createElement("a");
        link.href = "/inbox/incidents#incident-" + data.incident_id;
        link.textContent = alerts.dataset.incident;
        item.append(link);
        alerts.append(item);
        if (localStorage.getItem("switchboard.sound") === "on") beep();
      });
      source.addEventListener("notified", (event) => {
        const data = JSON.parse(event.data);
        if (data.agents.includes(me)) tell("rules", alerts.dataset.rule, data.conversation_id);
      });
      source.addEventListener("contacts_merged", () => { refreshMeta(); refreshThread(); refreshList(); });
      source.addEventListener("conversations_erased", (event) => {
        // An admin erased a contact (or the retention period passed): what is open may be gone.
        if (current && JSON.parse(event.data).ids.includes(current)) window.location.assign("/inbox");
        else refreshList();
      });
      source.addEventListener("resync", () => { refreshMeta(); refreshThread(); refreshList(); });
      source.addEventListener("error", () => {
        if (!document.getElementById("live-lost")) {
          const item = document.createElement("p");
          item.id = "live-lost";
          item.className = "alert";
          item.textContent = body.dataset.liveLost;
          alerts.append(item);
        }
      });
    }
    connect();
    // A page left for another must not keep its live stream open: browsers allow a handful of
    // connections per server, and a page kept for the back button would hold one. Back on it,
    // the stream opens again and catches up.
    window.addEventListener("pagehide", () => source.close());
    window.addEventListener("pageshow", (event) => {
      if (!event.persisted) return;
      connect();
      refreshList();
      refreshMeta();
      refreshThread();
    });

    // Keyboard: j/k next/previous conversation, r reply, e resolve, / search.
    document.addEventListener("keydown", (event) => {
      const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
      if (event.key === "Escape" && typing) return document.activeElement.blur();
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      const links = Array.from(list.querySelectorAll("a[data-id]"));
      const at = links.findIndex((a) => Number(a.dataset.id) === current);
      if (event.key === "j" || event.key === "k") {
        const next = links[event.key === "j" ? at + 1 : at < 0 ? 0 : at - 1];
        if (next) location.href = next.href;
      } else if (event.key === "r" && composer) {
        event.preventDefault();
        document.getElementById("reply").focus();
      } else if (event.key === "e" && current) {
        setStatus("resolved");
      } else if (event.key === "/") {
        event.preventDefault();
        document.getElementById("search").focus();
      }
    });
  }

  function contact() {
    const main = document.querySelector("main.contact");
    const form = document.getElementById("merge");
    const describe = (c) =>
      c.name + " (#" + c.id + "): " + c.identities.map((i) => i.channel + " " + i.display_name).join(", ");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const other = Number(form.other_id.value);
      try {
        // Both contacts shown before anything is joined: a merge cannot be undone.
        const [mine, theirs] = await Promise.all([
          api("GET", "/api/v1/contacts/" + main.dataset.contact),
          api("GET", "/api/v1/contacts/" + other),
        ]);
        if (!window.confirm(form.dataset.confirm + "\n\n" + describe(mine) + "\n" + describe(theirs))) return;
        await api("POST", "/api/v1/contacts/" + main.dataset.contact + "/merge", { other_id: other });
        location.reload();
      } catch (e) {
        complain(e);
      }
    });
    const path = "/api/v1/contacts/" + main.dataset.contact;
    const submit = (id, send) => {
      const f = document.getElementById(id);
      f.addEventListener("submit", (event) => {
        event.preventDefault();
        send(f).then(() => location.reload(), complain);
      });
    };
    submit("rename", (f) => api("PATCH", path, { name: f.name.value }));
    submit("attribute", (f) => api("PATCH", path, { attributes: { [f.key.value]: f.value.value } }));
    submit("contact-note", (f) => api("POST", path + "/notes", { body: f.body.value }));
    main.querySelectorAll("[data-remove-attribute]").forEach((button) =>
      button.addEventListener("click", () =>
        api("PATCH", path, { attributes: { [button.dataset.removeAttribute]: null } }).then(
          () => location.reload(),
          complain,
        ),
      ),
    );
    main.querySelectorAll("[data-remove-note]").forEach((button) =>
      button.addEventListener("click", () =>
        api("DELETE", path + "/notes/" + button.dataset.removeNote).then(() => location.reload(), complain),
      ),
    );
  }

  function canned() {
    document.querySelectorAll("form.canned-item").forEach((form) => {
      const id = form.dataset.id;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const payload = {
          title: form.title.value,
          locale: form.locale.value,
          body: form.body.value,
          shortcut: form.shortcut.value.trim() || null,
        };
        (id ? api("PUT", "/api/v1/canned_responses/" + id, payload) : api("POST", "/api/v1/canned_responses", payload))
          .then(() => location.reload(), complain);
      });
      const remove = form.querySelector('[data-action="delete"]');
      if (remove) remove.addEventListener("click", () => api("DELETE", "/api/v1/canned_responses/" + id).then(() => location.reload(), complain));
      const upload = form.querySelector('[data-action="attach"]');
      if (upload)
        upload.addEventListener("click", () => {
          const picked = form.querySelector("input[type=file]");
          if (!picked.files.length) return;
          const data = new FormData();
          for (const file of picked.files) data.append("file", file);
          api("POST", "/api/v1/canned_responses/" + id + "/attachments", data).then(() => location.reload(), complain);
        });
      form.querySelectorAll("[data-remove-file]").forEach((button) =>
        button.addEventListener("click", () =>
          api("DELETE", "/api/v1/canned_responses/" + id + "/attachments/" + button.dataset.removeFile).then(
            () => location.reload(),
            complain,
          ),
        ),
      );
    });
  }

  function kb() {
    const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);
    const list = (text) => text.split(",").map((l) => l.trim()).filter(Boolean);
    // After a change the page comes back with the same filters and article (the address keeps
    // them); a new article opens once saved.
    const show = (id) => {
      const url = new URL(location.href);
      if (id) url.searchParams.set("a", id);
      url.searchParams.delete("questions");
      location.assign(url.toString());
    };
    document.querySelectorAll("form.kb-item").forEach((form) => {
      if (!form.body || !form.title) return;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const id = form.dataset.id || form.id_.value.trim();
        const payload = {
          title: form.title.value, topic: form.topic.value, locale: form.locale.value,
          tags: list(form.tags.value), questions: lines(form.questions.value), body: form.body.value,
          handoff: form.handoff.checked,
        };
        api("PUT", "/api/v1/kb/articles/" + encodeURIComponent(id), payload).then(() => show(id), complain);
      });
      const retire = form.querySelector('[data-action="retire"]');
      if (retire) retire.addEventListener("click", () =>
        api("DELETE", "/api/v1/kb/articles/" + encodeURIComponent(form.dataset.id)).then(() => show(form.dataset.id), complain));
    });
    // The preview follows the body as it is typed, rendered by the server as customers see it.
    const open = document.querySelector(".kb-open form.kb-item");
    const preview = document.getElementById("kb-preview");
    if (open && open.body && preview) {
      open.body.addEventListener("input", debounce(() => {
        api("POST", "/api/v1/kb/preview", { body: open.body.value }).then((result) => (preview.innerHTML = result.html), () => {});
      }, 300));
    }
  }

  function debounce(fn, ms) {
    let timer;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function staff() {
    const form = document.getElementById("staff-new");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      api("POST", "/api/v1/staff_handles", { channel: form.channel.value, handle: form.handle.value })
        .then(() => location.reload(), complain);
    });
    document.querySelectorAll("[data-remove]").forEach((button) =>
      button.addEventListener("click", () =>
        api("DELETE", "/api/v1/staff_handles/" + button.dataset.remove).then(() => location.reload(), complain)));
  }

  common();
  function agents() {
    const done = (message) => () => {
      if (message) window.alert(message);
      location.reload();
    };
    const on = (form, send) =>
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        send(form).then(done(form.dataset.done), complain);
      });
    on(document.getElementById("me-settings"), (f) =>
      api("PATCH", "/api/v1/me", { name: f.name.value, locale: f.locale.value, availability: f.availability.value }),
    );
    on(document.getElementById("me-notify"), (f) => {
      const notify = {};
      f.querySelectorAll("input[type=checkbox]").forEach((box) => (notify[box.name] = box.checked));
      return api("PATCH", "/api/v1/me", { notify });
    });
    on(document.getElementById("me-password"), (f) =>
      api("PATCH", "/api/v1/me", { password: f.password.value, current_password: f.current_password.value }),
    );
    const created = document.getElementById("agent-new");
    if (created)
      on(created, (f) =>
        api("POST", "/api/v1/agents", { email: f.email.value, name: f.name.value, role: f.role.value, password: f.password.value }),
      );
    document.querySelectorAll("tr[data-agent]").forEach((row) => {
      const path = "/api/v1/agents/" + row.dataset.agent;
      const role = row.querySelector("select[data-role]");
      if (role) role.addEventListener("change", () => api("PATCH", path, { role: role.value }).then(done(), complain));
      const toggle = row.querySelector("button[data-disable]");
      if (toggle)
        toggle.addEventListener("click", () =>
          api("PATCH", path, { disabled: toggle.dataset.disable === "true" }).then(done(), complain),
        );
      const capacity = row.querySelector("input[data-capacity]");
      if (capacity)
        capacity.addEventListener("change", () =>
          api("PATCH", path, { capacity: capacity.value === "" ? null : Number(capacity.value) }).then(done(), complain),
        );
      const reset = row.querySelector("form.reset");
      if (reset) on(reset, (f) => api("PATCH", path, { password: f.password.value }));
    });
  }

  // The incidents page: admins open, confirm and update incidents (a change customers are
  // told of goes to every linked conversation).
  function incidents() {
    const peak = document.getElementById("peak-mode");
    if (peak) peak.addEventListener("change", () => api("PUT", "/api/v1/peak", { mode: peak.value }).then(() => location.reload(), complain));
    const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);
    const messages = (form) => {
      const message = {};
      form.querySelectorAll("textarea[name=message]").forEach((area) => {
        if (area.value.trim() !== "") message[area.dataset.locale] = area.value;
      });
      return message;
    };
    const announcement = document.getElementById("announcement");
    if (announcement) {
      const segment = () => {
        const f = announcement;
        const body = {};
        if (f.channel.value !== "") body.channel = f.channel.value;
        if (f.language.value.trim() !== "") body.language = f.language.value.trim();
        if (f.within_days.value !== "") body.within_days = Number(f.within_days.value);
        return body;
      };
      announcement.querySelector("[data-preview]").addEventListener("click", () =>
        api("POST", "/api/v1/announcements/preview", segment()).then((p) => {
          const parts = Object.entries(p.by_channel).map(([c, n]) => c + ": " + n);
          document.getElementById("announcement-preview").textContent = p.recipients + (parts.length ? " (" + parts.join(", ") + ")" : "");
        }, complain),
      );
      announcement.addEventListener("submit", (event) => {
        event.preventDefault();
        const body = Object.assign(segment(), { body: announcement.body.value });
        api("POST", "/api/v1/announcements", body).then(() => location.reload(), complain);
      });
    }
    document.querySelectorAll("form.incident-form:not(#announcement)").forEach((form) =>
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const body = { title: form.title.value, keywords: list(form.keywords.value), message: messages(form) };
        const sent = form.dataset.id
          ? api("PATCH", "/api/v1/incidents/" + form.dataset.id, Object.assign(body, { status: form.status.value }))
          : api("POST", "/api/v1/incidents", body);
        sent.then(() => location.reload(), complain);
      }),
    );
  }

  // The desk page: teams, SLA policies and automation rules (admins change them).
  function desk() {
    const reload = () => location.reload();
    const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);
    const orNull = (text) => (text.trim() === "" ? null : text.trim());
    const submit = (id, send) => {
      const form = document.getElementById(id);
      if (form)
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          send(form).then(reload, complain);
        });
    };
    submit("team-new", (f) =>
      api("POST", "/api/v1/teams", { name: f.name.value, languages: list(f.languages.value), categories: list(f.categories.value) }),
    );
    document.querySelectorAll("tr[data-team]").forEach((row) => {
      const path = "/api/v1/teams/" + row.dataset.team;
      const field = (name) => row.querySelector("[name=" + name + "]");
      const save = row.querySelector("[data-save]");
      if (save)
        save.addEventListener("click", () => {
          const members = Array.from(field("member_ids").selectedOptions).map((o) => Number(o.value));
          const lead = field("lead_id").value;
          api("PATCH", path, {
            name: field("name").value,
            member_ids: members,
            lead_id: lead === "" ? null : Number(lead),
            languages: list(field("languages").value),
            categories: list(field("categories").value),
          }).then(reload, complain);
        });
      const remove = row.querySelector("[data-delete]");
      if (remove) remove.addEventListener("click", () => api("DELETE", path).then(reload, complain));
    });
    submit("policy-new", (f) =>
      api("POST", "/api/v1/sla_policies", {
        name: f.name.value,
        first_response: orNull(f.first_response.value),
        next_response: orNull(f.next_response.value),
        resolution: orNull(f.resolution.value),
        business_hours: f.business_hours.checked,
        priority: orNull(f.priority.value),
        team_id: f.team_id.value === "" ? null : Number(f.team_id.value),
        channel: orNull(f.channel.value),
      }),
    );
    document.querySelectorAll("tr[data-policy]").forEach((row) => {
      const remove = row.querySelector("[data-delete]");
      if (remove) remove.addEventListener("click", () => api("DELETE", "/api/v1/sla_policies/" + row.dataset.policy).then(reload, complain));
    });
    const ruleOf = (f) => {
      const rule = { name: f.name.value, event: f.event.value, conditions: JSON.parse(f.conditions.value || "[]"), actions: JSON.parse(f.actions.value || "[]") };
      if (f.event.value === "idle") rule.idle_for = f.idle_for.value;
      return rule;
    };
    const parsed = (f, send) => {
      try {
        return send(ruleOf(f));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    submit("rule-new", (f) => parsed(f, (rule) => api("POST", "/api/v1/automation_rules", rule)));
    const form = document.getElementById("rule-new");
    const dry = form && form.querySelector("[data-dry-run]");
    if (dry)
      dry.addEventListener("click", () => {
        const output = document.getElementById("dry-run");
        parsed(form, (rule) => api("POST", "/api/v1/automation_rules/dry_run", rule)).then((result) => {
          const refs = result.matched.map((m) => m.reference).join(", ");
          output.textContent = output.dataset.result + " " + result.matched.length + " / " + result.checked + (refs ? ": " + refs : "");
        }, complain);
      });
    document.querySelectorAll("tr[data-rule]").forEach((row) => {
      const path = "/api/v1/automation_rules/" + row.dataset.rule;
      const enabled = row.querySelector("[data-enabled]");
      if (enabled) enabled.addEventListener("change", () => api("PATCH", path, { enabled: enabled.checked }).then(null, complain));
      const remove = row.querySelector("[data-delete]");
      if (remove) remove.addEventListener("click", () => api("DELETE", path).then(reload, complain));
    });
  }

  if (page === "desk") desk();
  if (page === "incidents") incidents();
  if (page === "agents") agents();
  if (page === "staff") staff();
  if (page === "login") login();
  if (page === "inbox") inbox();
  if (page === "contact") contact();
  if (page === "canned") canned();
  if (page === "kb") kb();
})();
