// Parley's reference dashboard: plain JavaScript against the gateway's public API, no build step.
// Talks: GET /api/talks and /api/talks/{id}. Alerts: the server-sent events of /api/alerts/stream,
// which resume on reconnection (the browser sends Last-Event-ID). Countdowns tick every second.
"use strict";

const state = { talks: [], selected: null, talk: null };
window.parleyLoadedAt = Date.now(); // lets a test tell that the page was never reloaded

const $ = (selector) => document.querySelector(selector);
const escape = (text) => String(text ?? "").replace(/[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const badge = (status) => `<span class="badge" data-status="${escape(status)}">${escape(status.replace(/_/g, " "))}</span>`;
const slug = (id) => String(id).replace(/[^A-Za-z0-9_-]/g, "_");

function countdown(dueAt) {
  const ms = Date.parse(dueAt) - Date.now();
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86400000), h = Math.floor(abs / 3600000) % 24, m = Math.floor(abs / 60000) % 60,
      s = Math.floor(abs / 1000) % 60;
  const text = d > 0 ? `${d}d ${h}h ${m}m` : `${h}h ${String(m).padStart(2, "0")}m ${String(s).padStart(2, "0")}s`;
  return { text: ms < 0 ? `${text} ago` : `in ${text}`, cls: ms < 0 ? "past" : ms < 86400000 ? "soon" : "" };
}

function countdownSpan(dueAt) {
  const c = countdown(dueAt);
  return `<span class="countdown ${c.cls}" data-due="${escape(dueAt)}" title="${escape(dueAt)}">${c.text}</span>`;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function loadTalks() {
  try {
    state.talks = await getJson("/api/talks?limit=200");
  } catch (e) {
    return; // starting or rebalancing: the next alert or the timer tries again
  }
  const list = $("#talks");
  if (state.talks.length === 0) {
    list.innerHTML = '<li class="empty">No talks yet.</li>';
    return;
  }
  list.innerHTML = state.talks.map((t) => `
    <li data-talk-id="${escape(t.talkId)}" class="${t.talkId === state.selected ? "selected" : ""}">
      <div class="title">${escape(t.title)}</div>
      <div class="meta">${badge(t.status)} ${escape(t.parties.join(", "))}</div>
      <div class="meta">${t.openCommitments} open commitment(s)${t.breachedCommitments ? `, <strong>${t.breachedCommitments} breached</strong>` : ""}
        ${t.nextDeadline ? `· next deadline ${countdownSpan(t.nextDeadline.dueAt)}` : ""}</div>
    </li>`).join("");
  if (!state.selected) select(state.talks[0].talkId);
}

async function select(talkId) {
  state.selected = talkId;
  history.replaceState(null, "", `#talk=${encodeURIComponent(talkId)}`);
  document.querySelectorAll("#talks li").forEach((li) => li.classList.toggle("selected", li.dataset.talkId === talkId));
  try {
    state.talk = await getJson(`/api/talks/${encodeURIComponent(talkId)}`);
  } catch (e) {
    $("#talk").innerHTML = `<p class="empty">Cannot load ${escape(talkId)} (${escape(e.message)}).</p>`;
    return;
  }
  renderTalk();
}

function renderTalk() {
  const t = state.talk;
  if (!t) return;
  const facts = [t.venue && `in ${t.venue}`, t.announcedBy && `announced by ${t.announcedBy}`,
    t.confirmedBy && `confirmed by ${t.confirmedBy}`, `${t.eventCount} events`].filter(Boolean).join(" · ");
  $("#talk").innerHTML = `
    <h2 id="talk-title" data-talk-id="${escape(t.talkId)}">${escape(t.title)} ${badge(t.status)}</h2>
    <p class="facts">${escape(t.parties.join(", "))} — ${escape(facts)}</p>
    <h3>Commitments</h3>
    ${t.commitments.length === 0 ? '<p class="empty">None.</p>' : `<table><thead><tr><th>Party</th><th>Action</th><th>Status</th></tr></thead><tbody>
      ${t.commitments.map((c) => `<tr id="commitment-${slug(c.commitmentId)}">
        <td>${escape(c.party)}</td>
        <td>${escape(c.action)}${c.conditions.length || c.conditionalOn.length ? `<br><small>only if: ${escape([...c.conditions, ...c.conditionalOn.map((id) => `commitment ${id}`)].join("; "))}</small>` : ""}</td>
        <td>${badge(c.status)}</td></tr>`).join("")}</tbody></table>`}
    <h3>Deadlines</h3>
    ${t.deadlines.length === 0 ? '<p class="empty">None.</p>' : `<table><thead><tr><th>Deadline</th><th>Due</th><th>Status</th></tr></thead><tbody>
      ${t.deadlines.map((d) => `<tr id="deadline-${slug(d.deadlineId)}">
        <td>${escape(d.description)}${d.moves.length ? `<br><small>moved ${d.moves.length} time(s)</small>` : ""}</td>
        <td>${d.status === "OPEN" ? countdownSpan(d.dueAt) : `<span title="${escape(d.dueAt)}">${escape(d.dueAt.slice(0, 10))}</span>`}</td>
        <td>${badge(d.status)}</td></tr>`).join("")}</tbody></table>`}
    ${t.stickingPoints.length ? `<h3>Sticking points</h3><ul>${t.stickingPoints.map((p) =>
      `<li>${p.resolvedAt ? "✓" : "•"} ${escape(p.description)}${p.resolution ? ` — <em>${escape(p.resolution)}</em>` : ""}</li>`).join("")}</ul>` : ""}
    ${t.agreements.length ? `<h3>Agreements</h3><ul>${t.agreements.map((a) =>
      `<li>${badge(a.kind)} ${escape(a.summary)}</li>`).join("")}</ul>` : ""}
    ${t.recentStatements.length ? `<h3>Latest statements</h3>${t.recentStatements.slice().reverse().map((s) =>
      `<blockquote>“${escape(s.text)}” <small>— ${escape(s.speaker)}, ${escape(s.tone.toLowerCase())}</small></blockquote>`).join("")}` : ""}`;
}

function addAlert(alert) {
  const list = $("#alerts");
  list.querySelector(".empty")?.remove();
  const item = document.createElement("li");
  item.className = "fresh";
  item.dataset.type = alert.type;
  item.dataset.severity = alert.severity;
  item.dataset.talkId = alert.talkId;
  item.innerHTML = `<div>${badge(alert.severity)} <strong>${escape(alert.type.replace(/_/g, " "))}</strong></div>
    <div>${escape(alert.message)}</div>
    <div class="when">${escape(alert.talkId)} · ${escape(alert.eventTime)}</div>`;
  list.prepend(item);
  while (list.children.length > 200) list.lastElementChild.remove();
}

let refresh = null;
function refreshSoon(talkId) {
  // Alerts come in bursts; fetch once they settle.
  clearTimeout(refresh);
  refresh = setTimeout(() => {
    loadTalks();
    if (talkId === state.selected) select(state.selected);
  }, 150);
}

function connect(after) {
  const source = new EventSource("/api/alerts/stream" + (after ? `?after=${encodeURIComponent(after)}` : ""));
  const connection = $("#connection");
  source.onopen = () => { connection.dataset.state = "live"; connection.textContent = "live"; };
  source.onerror = () => { connection.dataset.state = "reconnecting"; connection.textContent = "reconnecting…"; };
  source.addEventListener("alert", (message) => {
    const alert = JSON.parse(message.data);
    addAlert(alert);
    refreshSoon(alert.talkId);
  });
}

$("#talks").addEventListener("click", (e) => {
  const item = e.target.closest("li[data-talk-id]");
  if (item) select(item.dataset.talkId);
});
setInterval(() => document.querySelectorAll(".countdown[data-due]").forEach((span) => {
  const c = countdown(span.dataset.due);
  span.textContent = c.text;
  span.className = `countdown ${c.cls}`;
}), 1000);
setInterval(loadTalks, 30000);

const fromHash = new URLSearchParams(location.hash.slice(1)).get("talk");
if (fromHash) state.selected = fromHash;
loadTalks().then(() => { if (fromHash) select(fromHash); });
// The latest alerts first, then the live stream from just after the last of them: no gap, no repeat.
getJson("/api/alerts?limit=50")
  .then((recent) => { recent.forEach(addAlert); connect(recent.length ? recent[recent.length - 1].feedId : null); })
  .catch(() => connect(null));
