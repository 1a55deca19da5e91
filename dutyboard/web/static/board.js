// The browser board: draws the queue from the server's snapshots (server-sent events) and ticks
// every countdown each second against the server's clock. Read-only: it never sends a change.
"use strict";

(function () {
  const L = JSON.parse(document.getElementById("labels").textContent);
  const W = L.words;
  const rows = document.getElementById("rows");
  const empty = document.getElementById("empty");
  const counts = document.getElementById("counts");
  const escalations = document.getElementById("escalations");
  const state = document.getElementById("state");
  const clock = document.getElementById("clock");
  let snapshot = null;
  let offset = 0; // server time minus this browser's time, in ms
  let source = null;

  function format(template, values) {
    return template.replace(/\{(\w+)(?::0?(\d+)d)?\}/g, function (_, name, width) {
      let text = String(values[name]);
      if (width) text = text.padStart(Number(width), "0");
      return text;
    });
  }

  // The dashboard's compact countdown: 4d05h, 3h05m, 12:34, late -0:42.
  function countdown(seconds) {
    const sign = seconds < 0 ? "-" : "";
    const total = Math.ceil(Math.abs(seconds));
    let text;
    if (total >= 100 * 3600) {
      text = format(L.countdown.days, { days: Math.floor(total / 86400), hours: Math.floor((total % 86400) / 3600) });
    } else if (total >= 3600) {
      text = format(L.countdown.hours, { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60) });
    } else {
      text = Math.floor(total / 60) + ":" + String(total % 60).padStart(2, "0");
    }
    return sign + text;
  }

  function serverNow() {
    return Date.now() + offset;
  }

  function timeOfDay(iso) {
    // The instant as the server wrote it (the board's zone): HH:MM of its own offset.
    const match = /T(\d\d:\d\d)/.exec(iso || "");
    return match ? match[1] : "";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function levelCell(ticket) {
    const cell = el("td", "level");
    const badge = el("span", "badge l" + ticket.level, L.levels[ticket.level]);
    badge.title = L.level_names[ticket.level];
    if (ticket.level !== ticket.initial_level) {
      cell.appendChild(el("span", "was", L.levels[ticket.initial_level] + "→"));
      badge.classList.add("escalated");
    }
    cell.appendChild(badge);
    return cell;
  }

  function ticketCell(ticket) {
    const cell = el("td", "ticket");
    const head = el("div", "head");
    head.appendChild(el("span", "id", "#" + ticket.id));
    head.appendChild(el("span", "title", ticket.title));
    cell.appendChild(head);
    const facts = [ticket.site, ticket.asset, ticket.owner].filter(Boolean);
    const meta = el("div", "meta");
    if (facts.length) meta.appendChild(el("span", null, facts.join(" · ")));
    if (ticket.crisis) meta.appendChild(el("span", "tag crisis", W.crisis));
    for (const name of ticket.breached) {
      meta.appendChild(el("span", "tag breached", L.clocks[name] + " " + W.breached));
    }
    if (ticket.repeats > 0) {
      meta.appendChild(el("span", "tag repeats",
        format(W.repeats, { n: ticket.repeats + 1, at: timeOfDay(ticket.last_repeat_at) })));
    }
    if (meta.childNodes.length) cell.appendChild(meta);
    return cell;
  }

  function render() {
    if (!snapshot) return;
    rows.replaceChildren();
    for (const ticket of snapshot.tickets) {
      const tr = el("tr");
      tr.dataset.id = ticket.id;
      tr.appendChild(levelCell(ticket));
      tr.appendChild(ticketCell(ticket));
      tr.appendChild(el("td", "status", L.statuses[ticket.status] || ticket.status));
      tr.appendChild(el("td", "clock-name", ticket.next_clock ? L.clocks[ticket.next_clock] : "—"));
      const left = el("td", "num left", "—");
      if (ticket.next_due) {
        left.dataset.due = Date.parse(ticket.next_due);
        left.dataset.warn = Date.parse(ticket.next_warn);
      }
      tr.appendChild(left);
      rows.appendChild(tr);
    }
    empty.hidden = snapshot.tickets.length > 0;
    renderCounts();
    renderEscalations();
    tick();
  }

  function renderCounts() {
    counts.replaceChildren();
    const byLevel = { 1: 0, 2: 0, 3: 0, 4: 0 };
    let breached = 0;
    for (const ticket of snapshot.tickets) {
      byLevel[ticket.level] += 1;
      if (ticket.breached.length) breached += 1;
    }
    counts.appendChild(el("span", "total", format(W.open_tickets, { n: snapshot.tickets.length })));
    for (const level of [1, 2, 3, 4]) {
      if (byLevel[level]) counts.appendChild(el("span", "badge l" + level, L.levels[level] + " " + byLevel[level]));
    }
    if (breached) counts.appendChild(el("span", "tag breached", format(W.breached_count, { n: breached })));
  }

  function renderEscalations() {
    escalations.replaceChildren();
    if (!snapshot.escalations.length) {
      escalations.appendChild(el("li", "none", W.no_escalations));
      return;
    }
    for (const e of snapshot.escalations) {
      const li = el("li");
      li.appendChild(el("span", "when", timeOfDay(e.at)));
      li.appendChild(el("span", "id", "#" + e.ticket));
      li.appendChild(el("span", "change", L.levels[e.from_level] + "→" + L.levels[e.to_level]));
      li.appendChild(el("span", "kind", L.escalation_kinds[e.kind] || e.kind));
      li.appendChild(el("span", "title", e.title));
      escalations.appendChild(li);
    }
  }

  function tick() {
    const now = serverNow();
    if (snapshot) clock.textContent = localTime(now);
    for (const cell of rows.querySelectorAll("td.left")) {
      if (!cell.dataset.due) continue;
      const seconds = (Number(cell.dataset.due) - now) / 1000;
      cell.textContent = countdown(seconds);
      const row = cell.parentNode;
      row.classList.toggle("breached", seconds < 0);
      row.classList.toggle("warning", seconds >= 0 && now >= Number(cell.dataset.warn));
    }
  }

  function localTime(ms) {
    // The server's time of day in the board's zone: shift by the snapshot's own offset.
    const match = /([+-])(\d\d):(\d\d)$/.exec(snapshot.now);
    let shift = 0;
    if (match) shift = (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60000;
    return new Date(ms + shift).toISOString().slice(11, 19);
  }

  function connected(live) {
    state.textContent = live ? W.live : W.reconnecting;
    state.classList.toggle("on", live);
    state.classList.toggle("off", !live);
  }

  function connect() {
    source = new EventSource("/board/events");
    source.addEventListener("open", function () { connected(true); });
    source.addEventListener("snapshot", function (event) {
      snapshot = JSON.parse(event.data);
      offset = Date.parse(snapshot.now) - Date.now();
      connected(true);
      render();
    });
    source.addEventListener("logout", function () {
      source.close();
      window.location.reload();
    });
    source.addEventListener("error", function () {
      connected(false);
      if (source.readyState === EventSource.CLOSED) {
        // Refused (a revoked token) or the server went away: ask who we are, then decide.
        window.setTimeout(function () {
          fetch("/board/session", { credentials: "same-origin" }).then(function (response) {
            if (response.status === 401) window.location.reload();
            else connect();
          }, connect);
        }, 2000);
      }
    });
  }

  window.setInterval(tick, 1000);
  connect();
})();
