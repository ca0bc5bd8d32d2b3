// A talk's timeline, drawn as SVG by this file (no library, no build step).
// Rows, top to bottom: a time axis; the talk's status as coloured bands; its events in story order
// (hover or tap one for who said it, where, and why); one lane per commitment whose colour follows
// its status and turns red where it broke; one row per deadline, with each move drawn from the old
// due time to the new. The data: the talk's state (commitment histories, deadline moves) and its
// alerts; when the gateway serves GET /api/talks/{id}/timeline, its events (with their sources) too.
"use strict";

(function () {
  const NS = "http://www.w3.org/2000/svg";
  const COLOURS = {
    ANNOUNCED: "#d9d6ee", CONFIRMED: "#cfe0f5", IN_PROGRESS: "#cdebd9", SUSPENDED: "#f6e3c2",
    AGREEMENT_REACHED: "#b9e3c9", COLLAPSED: "#f3c9c5", CONCLUDED: "#dddddd", POSTPONED: "#f6e3c2",
    CANCELLED: "#f3c9c5",
    PROPOSED: "#b8b3a6", PLEDGED: "#2f5fa7", CONDITIONAL: "#c98a1b", IN_EFFECT: "#1f9a5d", FULFILLED: "#146b3f",
    BREACHED: "#b3261e", WITHDRAWN: "#8a8a8a",
  };
  const esc = (text) => String(text ?? "").replace(/[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const day = (ms) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  const t = (iso) => Date.parse(iso);

  function el(name, attrs, parent, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, v);
    if (text != null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** A shape that explains itself: a native tooltip on hover, and ours on tap or focus. */
  function tip(node, lines) {
    const text = lines.filter(Boolean).join("\n");
    node.dataset.tip = text;
    node.setAttribute("tabindex", "0");
    node.classList.add("tippable");
    el("title", {}, node, text);
    return node;
  }

  /** Points in story order, from the timeline endpoint when it answers, else from the state and alerts. */
  function eventsOf(talk, items, alerts) {
    if (items) {
      return items.map((i) => ({ at: t(i.occurredAt), id: i.eventId, kind: i.type, label: i.summary || i.type,
        source: i.source, reason: i.payload && i.payload.reason }));
    }
    const points = new Map();
    const add = (at, id, kind, label, who, reason) => {
      if (at == null || Number.isNaN(t(at))) return;
      const key = id || `${kind}@${at}`;
      if (!points.has(key)) points.set(key, { at: t(at), id, kind, label, source: who ? { actor: who } : null, reason });
    };
    add(talk.announcedAt, null, "TalkAnnounced", "talk announced", talk.announcedBy);
    add(talk.confirmedAt, null, "TalkConfirmed", "talk confirmed", talk.confirmedBy);
    for (const c of talk.commitments) {
      // Once a commitment's first changes are no longer in the state, its making still is.
      if (c.earlierChanges > 0) add(c.madeAt, null, "CommitmentMade", `${c.party}: ${c.action} — made`, c.party);
      for (const h of c.history) {
        const reason = (/\((.*)\)$/.exec(h.change) || [])[1];
        add(h.at, h.eventId, h.change === "made" ? "CommitmentMade" : "CommitmentStatusChanged",
          `${c.party}: ${c.action} — ${h.change}`, c.party, reason);
      }
    }
    for (const d of talk.deadlines) {
      add(d.setAt, null, "DeadlineSet", `deadline set: ${d.description}`);
      for (const m of d.moves) add(m.at, m.eventId, "DeadlineMoved", `deadline moved: ${d.description}`, null, m.reason);
    }
    for (const s of talk.recentStatements) add(s.at, s.eventId, "StatementIssued", `“${s.text}”`, s.speaker);
    for (const p of talk.stickingPoints) {
      add(p.raisedAt, null, "StickingPointRaised", `sticking point: ${p.description}`, p.raisedBy);
      if (p.resolvedAt) add(p.resolvedAt, null, "StickingPointResolved", `resolved: ${p.description}`, null, p.resolution);
    }
    for (const a of talk.agreements) add(a.reachedAt, a.eventId, "AgreementReached", `agreement: ${a.summary}`);
    for (const a of alerts) {
      if (a.type === "TALK_STATUS_CHANGED") add(a.eventTime, a.causeEventId, "TalkStatusChanged", a.message);
    }
    return [...points.values()].sort((a, b) => a.at - b.at || String(a.id).localeCompare(String(b.id)));
  }

  /** The talk's status over time: announced, confirmed, then each status change its alerts tell of. */
  function statusBands(talk, alerts) {
    const changes = [];
    if (talk.announcedAt) changes.push({ at: t(talk.announcedAt), status: "ANNOUNCED" });
    if (talk.confirmedAt) changes.push({ at: t(talk.confirmedAt), status: "CONFIRMED" });
    for (const a of alerts) {
      if (a.type === "TALK_STATUS_CHANGED" && a.after) changes.push({ at: t(a.eventTime), status: a.after });
    }
    changes.sort((a, b) => a.at - b.at);
    if (!changes.length || changes[changes.length - 1].status !== talk.status) {
      changes.push({ at: changes.length ? changes[changes.length - 1].at : t(talk.updatedAt), status: talk.status });
    }
    return changes.filter((c, i) => i === 0 || c.status !== changes[i - 1].status);
  }

  function draw(talk, items, alerts, container) {
    const events = eventsOf(talk, items, alerts);
    const bands = statusBands(talk, alerts);
    const times = [...events.map((e) => e.at), ...bands.map((b) => b.at), t(talk.updatedAt)];
    for (const c of talk.commitments) times.push(t(c.madeAt), ...c.history.map((h) => t(h.at)));
    for (const d of talk.deadlines) times.push(t(d.setAt), ...d.moves.map((m) => t(m.at)));
    let start = Math.min(...times.filter(Number.isFinite));
    let end = Math.max(...times.filter(Number.isFinite));
    // Deadlines far beyond the story would squeeze it into a corner: show those that are near on the
    // axis, and the far ones at the right edge with their date.
    const span = Math.max(end - start, 3600000);
    const dues = talk.deadlines.flatMap((d) => [t(d.dueAt), ...d.moves.map((m) => t(m.from))]);
    for (const due of dues) if (due <= start + 3 * span) end = Math.max(end, due);
    start -= (end - start) * 0.03 + 1800000;
    end += (end - start) * 0.06 + 1800000;

    const width = Math.max(300, Math.floor(container.clientWidth || 600));
    const left = 8, right = width - 14;
    const x = (ms) => left + (Math.min(Math.max(ms, start), end) - start) / (end - start) * (right - left);
    const beyond = (ms) => ms > end;
    const laneHeight = 30;
    const height = 34 + 26 + 30 + laneHeight * (talk.commitments.length + talk.deadlines.length) + 12;

    container.innerHTML = "";
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
      "aria-label": `Timeline of ${talk.title}`, class: "timeline-svg" }, container);

    // The axis: about one tick per 110 px, labelled by day (or hour when the story is short).
    const axis = el("g", { class: "axis" }, svg);
    const ticks = Math.max(2, Math.floor((right - left) / 110));
    for (let i = 0; i <= ticks; i++) {
      const ms = start + (end - start) * i / ticks;
      const tx = x(ms);
      el("line", { x1: tx, x2: tx, y1: 16, y2: height - 4, class: "grid" }, axis);
      const label = end - start < 4 * 86400000 ? day(ms).slice(5) : day(ms).slice(0, 10);
      el("text", { x: Math.min(Math.max(tx, left + 30), right - 30), y: 12, class: "tick", "text-anchor": "middle" }, axis, label);
    }

    // Status bands.
    let y = 20;
    const bandRow = el("g", { class: "status-bands" }, svg);
    bands.forEach((b, i) => {
      const to = i + 1 < bands.length ? bands[i + 1].at : end;
      const rect = el("rect", { x: x(b.at), y, width: Math.max(2, x(to) - x(b.at)), height: 18, rx: 3,
        fill: COLOURS[b.status] || "#e8e6e1", class: "band", "data-status": b.status }, bandRow);
      tip(rect, [`${b.status.replace(/_/g, " ")} from ${day(b.at)} UTC`]);
      if (x(to) - x(b.at) > 70) {
        el("text", { x: x(b.at) + 5, y: y + 13, class: "band-label" }, bandRow, b.status.replace(/_/g, " ").toLowerCase());
      }
    });

    // Events in story order.
    y += 34;
    const eventRow = el("g", { class: "events" }, svg);
    el("line", { x1: left, x2: right, y1: y, y2: y, class: "event-axis" }, eventRow);
    events.forEach((e, i) => {
      const dot = el("circle", { cx: x(e.at), cy: y + ((i % 3) - 1) * 5, r: 5, class: `event kind-${e.kind}`,
        "data-event-id": e.id || "", "data-order": i }, eventRow);
      const src = e.source || {};
      tip(dot, [`${e.kind.replace(/([a-z])([A-Z])/g, "$1 $2")} · ${day(e.at)} UTC`, e.label,
        e.reason && `reason: ${e.reason}`, (src.actor || src.outlet) && `source: ${[src.actor, src.outlet].filter(Boolean).join(", ")}`,
        src.url && src.url, e.id && `event ${e.id}`]);
    });

    // Commitments, one lane each: the line takes the colour of each status it went through.
    y += 22;
    for (const c of talk.commitments) {
      const lane = el("g", { class: "lane", "data-commitment-id": c.commitmentId, "data-status": c.status }, svg);
      el("text", { x: left, y: y + 10, class: "lane-label" }, lane, `${c.party}: ${c.action}`.slice(0, Math.floor(width / 6.2)));
      const history = c.history.length ? c.history : [{ at: c.madeAt, status: c.status, change: "made" }];
      if (c.earlierChanges > 0) {
        // A state keeps a commitment's latest changes; the ones before are in the talk's events.
        const gap = el("line", { x1: x(t(c.madeAt)), x2: x(t(history[0].at)), y1: y + 19, y2: y + 19, stroke: COLOURS.PROPOSED,
          class: "earlier" }, lane);
        tip(gap, [`${c.party}: ${c.action}`, `made ${day(t(c.madeAt))} UTC; ${c.earlierChanges} earlier change(s), in the talk's events`]);
      }
      history.forEach((h, i) => {
        const from = t(h.at), to = i + 1 < history.length ? t(history[i + 1].at) : end;
        el("line", { x1: x(from), x2: Math.max(x(to), x(from) + 2), y1: y + 19, y2: y + 19, stroke: COLOURS[h.status],
          class: "segment", "data-status": h.status }, lane);
      });
      history.forEach((h, i) => {
        const breach = h.status === "BREACHED";
        const mark = breach
          ? el("path", { d: `M${x(t(h.at)) - 5},${y + 14} l10,10 m0,-10 l-10,10`, class: "breach" }, lane)
          : el("circle", { cx: x(t(h.at)), cy: y + 19, r: i === 0 && !c.earlierChanges ? 4 : 3.5, fill: COLOURS[h.status], class: "change",
            "data-status": h.status }, lane);
        if (breach) el("rect", { x: x(t(h.at)) - 7, y: y + 12, width: 14, height: 14, class: "hit" }, lane);
        tip(breach ? mark.nextSibling : mark, [`${c.party}: ${c.action}`, `${h.change === "made" ? `made, ${h.status}` : h.change} · ${day(t(h.at))} UTC`,
          h.eventId && `event ${h.eventId}`]);
      });
      y += laneHeight;
    }

    // Deadlines: the due time as a diamond; each move drawn from where it was due to where it is due now.
    const diamond = (cx, cy, r) => `M${cx},${cy - r} L${cx + r},${cy} L${cx},${cy + r} L${cx - r},${cy} Z`;
    for (const d of talk.deadlines) {
      const row = el("g", { class: "deadline", "data-deadline-id": d.deadlineId, "data-status": d.status }, svg);
      el("text", { x: left, y: y + 10, class: "lane-label" }, row, `Deadline: ${d.description}`.slice(0, Math.floor(width / 6.2)));
      const cy = y + 19;
      el("line", { x1: x(t(d.setAt)), x2: x(t(d.dueAt)), y1: cy, y2: cy, class: "deadline-line" }, row);
      d.moves.forEach((m) => {
        const old = el("path", { d: diamond(x(t(m.from)), cy, 5), class: "deadline-old" }, row);
        tip(old, [`was due ${day(t(m.from))} UTC`, `moved ${t(m.to) > t(m.from) ? "later" : "earlier"} on ${day(t(m.at))} UTC, to ${day(t(m.to))} UTC`,
          m.reason && `reason: ${m.reason}`, `event ${m.eventId}`]);
        const x1 = x(t(m.from)), x2 = x(t(m.to));
        const arc = el("path", { d: `M${x1},${cy - 6} Q${(x1 + x2) / 2},${cy - 18} ${x2},${cy - 6}`, class: "deadline-move",
          "data-event-id": m.eventId, "marker-end": "url(#arrow)" }, row);
        tip(arc, [`moved ${t(m.to) > t(m.from) ? "later" : "earlier"}: ${day(t(m.from))} → ${day(t(m.to))} UTC`,
          m.reason && `reason: ${m.reason}`, `event ${m.eventId}, on ${day(t(m.at))} UTC`]);
      });
      const due = el("path", { d: diamond(x(t(d.dueAt)), cy, 6), class: `deadline-due status-${d.status}` }, row);
      tip(due, [`${d.description}`, `due ${day(t(d.dueAt))} UTC · ${d.status}`, d.moves.length ? `moved ${(d.earlierMoves || 0) + d.moves.length} time(s)` : null]);
      if (beyond(t(d.dueAt))) {
        el("text", { x: right - 8, y: cy + 4, class: "beyond", "text-anchor": "end" }, row, `→ ${day(t(d.dueAt)).slice(0, 10)}`);
      }
      y += laneHeight;
    }

    const defs = el("defs", {}, svg);
    const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 6, markerHeight: 6,
      orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head" }, marker);

    const box = document.createElement("div");
    box.className = "timeline-tip";
    box.hidden = true;
    box.setAttribute("role", "status");
    container.appendChild(box);
    const showTip = (node) => {
      box.textContent = node.dataset.tip;
      box.hidden = false;
      const r = node.getBoundingClientRect(), c = container.getBoundingClientRect();
      box.style.left = `${Math.max(0, Math.min(r.left - c.left, c.width - 260))}px`;
      box.style.top = `${r.bottom - c.top + 6}px`;
    };
    svg.addEventListener("click", (e) => {
      const node = e.target.closest(".tippable");
      if (node) showTip(node); else box.hidden = true;
    });
    svg.addEventListener("mouseover", (e) => { const node = e.target.closest(".tippable"); if (node) showTip(node); });
    svg.addEventListener("focusin", (e) => { const node = e.target.closest(".tippable"); if (node) showTip(node); });
    svg.addEventListener("mouseleave", () => { box.hidden = true; });
    container.dataset.source = items ? "timeline" : "state";
    container.dataset.events = String(events.length);
  }

  async function json(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    return response.ok ? response.json() : null;
  }

  async function show(talk, container) {
    if (!container) return;
    const id = encodeURIComponent(talk.talkId);
    let items = null;
    try {
      const first = await json(`/api/talks/${id}/timeline`);
      if (first && Array.isArray(first.items)) {
        items = first.items;
        for (let next = first.next, pages = 0; next && pages < 20; pages++) {
          const page = await json(`/api/talks/${id}/timeline?after=${encodeURIComponent(next)}`);
          if (!page) break;
          items.push(...page.items);
          next = page.next;
        }
      }
    } catch (e) { items = null; }
    let alerts = [];
    try { alerts = (await json(`/api/alerts?talk=${id}&limit=1000`)) || []; } catch (e) { /* bands from the state alone */ }
    if (items) alerts = alerts.concat(items.flatMap((i) => i.alerts || []));
    if (!container.isConnected) return; // the talk was redrawn meanwhile
    draw(talk, items, alerts, container);
  }

  window.parleyTimeline = { show, draw };
})();
