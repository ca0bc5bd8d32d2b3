// Parley's reference dashboard: plain JavaScript against the gateway's public API, no build step.
// Talks: GET /api/talks (filtered, a page at a time) and /api/talks/{id}. Alerts: GET /api/alerts,
// then the server-sent events of /api/alerts/stream with the same filters, which resume on
// reconnection (the browser sends Last-Event-ID). The filters and the open talk live in the URL's
// hash, so a link opens the same view. Below 700 px wide the page is a list, then a talk on its own.
"use strict";

const PAGE = 50;
const FILTERS = ["q", "status", "party", "origin"];
const state = { talks: [], total: 0, offset: 0, selected: null, talk: null, filters: {}, severity: "", onlyTalk: false,
  source: null, lastFeedId: null, pushed: false };
window.parleyLoadedAt = Date.now(); // lets a test tell that the page was never reloaded

const $ = (selector) => document.querySelector(selector);
const escape = (text) => String(text ?? "").replace(/[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const badge = (status) => `<span class="badge" data-status="${escape(status)}">${escape(status.replace(/_/g, " "))}</span>`;
const slug = (id) => String(id).replace(/[^A-Za-z0-9_-]/g, "_");
const narrow = () => window.matchMedia("(max-width: 700px)").matches;

/** "3 h ago", "in 2 d": the exact time is in the title (hover) and the datetime attribute. */
function relative(iso) {
  const ms = Date.parse(iso) - Date.now();
  const abs = Math.abs(ms);
  const units = [[31557600000, "y"], [2629800000, "mo"], [86400000, "d"], [3600000, "h"], [60000, "min"]];
  let text = "just now";
  for (const [size, name] of units) {
    if (abs >= size) { text = `${Math.floor(abs / size)} ${name}`; break; }
  }
  if (text === "just now") return text;
  return ms < 0 ? `${text} ago` : `in ${text}`;
}
const exact = (iso) => new Date(iso).toISOString().replace("T", " ").replace(/\.000Z$/, " UTC").replace(/Z$/, " UTC");
const timeTag = (iso) => `<time class="relative" datetime="${escape(iso)}" title="${escape(exact(iso))}">${relative(iso)}</time>`;
window.parleyTime = { relative, exact, timeTag };

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
  return `<span class="countdown ${c.cls}" data-due="${escape(dueAt)}" title="${escape(exact(dueAt))}">${c.text}</span>`;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let message = `${response.status}`;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return { body: await response.json(), headers: response.headers };
}

function query(extra) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  for (const [name, value] of Object.entries(extra || {})) if (value !== "" && value != null) params.set(name, value);
  return params.toString();
}

// ---- the URL: filters and the open talk -------------------------------------------------------

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  state.filters = {};
  for (const name of FILTERS) if (params.get(name)) state.filters[name] = params.get(name);
  state.severity = params.get("severity") || "";
  for (const name of [...FILTERS, "severity"]) $(`#${name}`).value = params.get(name) || "";
  return params.get("talk");
}

function writeHash(push) {
  const params = new URLSearchParams(query({ severity: state.severity }));
  if (state.selected) params.set("talk", state.selected);
  const hash = `#${params.toString()}`;
  handledHash = hash;
  if (hash === location.hash) return;
  if (push) history.pushState(null, "", hash); else history.replaceState(null, "", hash);
}

// ---- talks ------------------------------------------------------------------------------------

async function loadTalks() {
  let answer;
  try {
    answer = await getJson(`/api/talks?${query({ limit: PAGE, offset: state.offset })}`);
  } catch (e) {
    if (e.status === 400) showError(e.message);
    return; // starting or rebalancing: the next alert or the timer tries again
  }
  showError(null);
  state.talks = answer.body;
  state.total = Number(answer.headers.get("X-Total-Count") || state.talks.length);
  renderTalks();
  if (!state.selected && !narrow() && state.talks.length) select(state.talks[0].talkId, false);
}

function talkItem(t, pinned) {
  return `
    <li data-talk-id="${escape(t.talkId)}" data-origin="${escape(t.origin || "")}"
        class="${t.talkId === state.selected ? "selected" : ""} ${pinned ? "pinned" : ""}">
      <div class="title">${escape(t.title)}</div>
      <div class="meta">${badge(t.status)} ${escape(t.parties.join(", "))}${t.origin === "feed" ? ' <span class="origin">feed</span>' : ""}</div>
      <div class="meta">${pinned ? "opened by link · " : ""}${t.openCommitments ?? 0} open commitment(s)${t.breachedCommitments ? `, <strong>${t.breachedCommitments} breached</strong>` : ""}
        ${t.nextDeadline ? `· next deadline ${countdownSpan(t.nextDeadline.dueAt)}` : ""}
        · updated ${timeTag(t.updatedAt)}</div>
    </li>`;
}

function renderTalks() {
  const list = $("#talks");
  const items = state.talks.map((t) => talkItem(t, false));
  // A talk opened by a link is shown even when it is not on this page of the list.
  if (state.talk && state.selected === state.talk.talkId && !state.talks.some((t) => t.talkId === state.selected)) {
    items.unshift(talkItem(summaryOf(state.talk), true));
  }
  list.innerHTML = items.length ? items.join("") : '<li class="empty">No talks match.</li>';
  $("#talk-count").textContent = state.total ? `${state.total}` : "";
  const pager = $("#pager");
  pager.hidden = state.total <= PAGE;
  $("#page-info").textContent = `${state.offset + 1}–${Math.min(state.offset + PAGE, state.total)} of ${state.total}`;
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = state.offset + PAGE >= state.total;
  const parties = new Set(state.talks.flatMap((t) => t.parties));
  $("#parties").innerHTML = [...parties].sort().map((p) => `<option value="${escape(p)}">`).join("");
}

function summaryOf(t) {
  return { talkId: t.talkId, title: t.title, status: t.status, parties: t.parties, updatedAt: t.updatedAt,
    origin: /^(gdelt|icews):/.test(t.talkId) ? "feed" : "curated",
    openCommitments: t.commitments.filter((c) => ["PROPOSED", "PLEDGED", "CONDITIONAL", "IN_EFFECT"].includes(c.status)).length,
    breachedCommitments: t.commitments.filter((c) => c.status === "BREACHED").length, nextDeadline: null };
}

async function select(talkId, push) {
  const changed = state.selected !== talkId;
  state.selected = talkId;
  if (changed && state.onlyTalk) loadAlerts();
  writeHash(push);
  if (narrow()) show("talk");
  document.querySelectorAll("#talks li").forEach((li) => li.classList.toggle("selected", li.dataset.talkId === talkId));
  if (changed) $("#talk").innerHTML = '<p class="empty">Loading…</p>';
  try {
    state.talk = (await getJson(`/api/talks/${encodeURIComponent(talkId)}`)).body;
  } catch (e) {
    $("#talk").innerHTML = `<p class="empty">Cannot load ${escape(talkId)} (${escape(e.message)}).</p>`;
    return;
  }
  if (state.selected !== talkId) return; // another talk was chosen meanwhile
  renderTalk();
  if (!state.talks.some((t) => t.talkId === talkId)) renderTalks();
  if (window.parleyTimeline) window.parleyTimeline.show(state.talk, $("#timeline"));
}

function renderTalk() {
  const t = state.talk;
  if (!t) return;
  const facts = [t.venue && `in ${t.venue}`, t.announcedBy && `announced by ${t.announcedBy}`,
    t.confirmedBy && `confirmed by ${t.confirmedBy}`, `${t.eventCount} events`, `updated ${timeTag(t.updatedAt)}`]
    .filter(Boolean).join(" · ");
  $("#talk").innerHTML = `
    <h2 id="talk-title" data-talk-id="${escape(t.talkId)}">${escape(t.title)} ${badge(t.status)}</h2>
    <p class="facts">${escape(t.parties.join(", "))} — ${facts}</p>
    <h3>Timeline</h3>
    <div id="timeline" class="timeline"><p class="empty">Drawing…</p></div>
    <h3>Commitments</h3>
    ${t.commitments.length === 0 ? '<p class="empty">None.</p>' : `<table><thead><tr><th>Party</th><th>Action</th><th>Status</th></tr></thead><tbody>
      ${t.commitments.map((c) => `<tr id="commitment-${slug(c.commitmentId)}">
        <td>${escape(c.party)}</td>
        <td>${escape(c.action)}${c.conditions.length || c.conditionalOn.length ? `<br><small>only if: ${escape([...c.conditions, ...c.conditionalOn.map((id) => `commitment ${id}`)].join("; "))}</small>` : ""}</td>
        <td>${badge(c.status)}</td></tr>`).join("")}</tbody></table>`}
    <h3>Deadlines</h3>
    ${t.deadlines.length === 0 ? '<p class="empty">None.</p>' : `<table><thead><tr><th>Deadline</th><th>Due</th><th>Status</th></tr></thead><tbody>
      ${t.deadlines.map((d) => `<tr id="deadline-${slug(d.deadlineId)}">
        <td>${escape(d.description)}${d.moves.length ? `<br><small>moved ${(d.earlierMoves || 0) + d.moves.length} time(s)</small>` : ""}</td>
        <td>${d.status === "OPEN" ? countdownSpan(d.dueAt) : `<span title="${escape(exact(d.dueAt))}">${escape(d.dueAt.slice(0, 10))}</span>`}</td>
        <td>${badge(d.status)}</td></tr>`).join("")}</tbody></table>`}
    ${t.stickingPoints.length ? `<h3>Sticking points</h3><ul>${t.stickingPoints.map((p) =>
      `<li>${p.resolvedAt ? "✓" : "•"} ${escape(p.description)}${p.resolution ? ` — <em>${escape(p.resolution)}</em>` : ""}</li>`).join("")}</ul>` : ""}
    ${t.agreements.length ? `<h3>Agreements</h3><ul>${t.agreements.map((a) =>
      `<li>${badge(a.kind)} ${escape(a.summary)}</li>`).join("")}</ul>` : ""}
    ${t.recentStatements.length ? `<h3>Latest statements</h3>${t.recentStatements.slice().reverse().map((s) =>
      `<blockquote>“${escape(s.text)}” <small>— ${escape(s.speaker)}, ${escape(s.tone.toLowerCase())}</small></blockquote>`).join("")}` : ""}`;
}

// ---- the phone's two views ----------------------------------------------------------------------

function show(view) {
  const main = $("#main");
  if (main.dataset.view === view) return;
  main.dataset.view = view;
  window.scrollTo(0, 0);
}

$("#back").addEventListener("click", () => {
  if (state.pushed) { history.back(); return; } // the browser's own back does the same
  state.selected = null;
  writeHash(false);
  show("list");
});

// ---- alerts -------------------------------------------------------------------------------------

function addAlert(alert, fresh) {
  const list = $("#alerts");
  list.querySelector(".empty")?.remove();
  if (list.querySelector(`li[data-alert-id="${CSS.escape(alert.alertId)}"]`)) return;
  const item = document.createElement("li");
  if (fresh) item.className = "fresh";
  item.dataset.type = alert.type;
  item.dataset.severity = alert.severity;
  item.dataset.talkId = alert.talkId;
  item.dataset.alertId = alert.alertId;
  item.innerHTML = `<div>${badge(alert.severity)} <strong>${escape(alert.type.replace(/_/g, " "))}</strong></div>
    <div>${escape(alert.message)}</div>
    <div class="when"><a class="talk-link" href="#talk=${encodeURIComponent(alert.talkId)}" data-talk-id="${escape(alert.talkId)}">${escape(alert.talkId)}</a> · ${timeTag(alert.eventTime)}</div>`;
  list.prepend(item);
  while (list.children.length > 200) list.lastElementChild.remove();
}

let refresh = null;
function refreshSoon(talkId) {
  // Alerts come in bursts; fetch once they settle.
  clearTimeout(refresh);
  refresh = setTimeout(() => {
    loadTalks();
    if (talkId === state.selected) select(state.selected, false);
  }, 150);
}

const alertTalk = () => (state.onlyTalk && state.selected ? state.selected : "");

function connect(after) {
  if (state.source) state.source.close();
  const params = query({ severity: state.severity, talk: alertTalk(), after });
  const source = new EventSource(`/api/alerts/stream${params ? `?${params}` : ""}`);
  state.source = source;
  const connection = $("#connection");
  source.onopen = () => { connection.dataset.state = "live"; connection.textContent = "live"; };
  source.onerror = () => { connection.dataset.state = "reconnecting"; connection.textContent = "reconnecting…"; };
  source.addEventListener("alert", (message) => {
    const alert = JSON.parse(message.data);
    state.lastFeedId = message.lastEventId;
    addAlert(alert, true);
    refreshSoon(alert.talkId);
  });
}

async function loadAlerts() {
  // The latest matching alerts first, then the live stream from just after the last of them: no gap, no repeat.
  $("#alerts").innerHTML = '<li class="empty">Waiting for alerts…</li>';
  try {
    const recent = (await getJson(`/api/alerts?${query({ severity: state.severity, talk: alertTalk(), limit: 100 })}`)).body;
    recent.forEach((a) => addAlert(a, false));
    if (!recent.length) $("#alerts").innerHTML = '<li class="empty">No alerts match.</li>';
    connect(recent.length ? recent[recent.length - 1].feedId : state.lastFeedId);
  } catch (e) {
    if (e.status === 400) { showError(e.message); return; }
    connect(null);
  }
}

function showError(message) {
  const error = $("#filter-error");
  error.hidden = !message;
  error.textContent = message || "";
}

// ---- wiring -------------------------------------------------------------------------------------

let typing = null;
function filtersChanged() {
  for (const name of FILTERS) state.filters[name] = $(`#${name}`).value.trim();
  state.severity = $("#severity").value;
  state.offset = 0;
  writeHash(false);
  loadTalks();
  loadAlerts();
}
const filtersSoon = () => { clearTimeout(typing); typing = setTimeout(filtersChanged, 250); };
$("#filters").addEventListener("input", filtersSoon);
$("#filters").addEventListener("change", filtersSoon); // a select changed by script fires only this
$("#filters").addEventListener("submit", (e) => { e.preventDefault(); filtersChanged(); });
$("#only-talk").addEventListener("change", (e) => { state.onlyTalk = e.target.checked; loadAlerts(); });
$("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTalks(); });
$("#next").addEventListener("click", () => { state.offset += PAGE; loadTalks(); });

$("#talks").addEventListener("click", (e) => {
  const item = e.target.closest("li[data-talk-id]");
  if (!item) return;
  state.pushed = narrow();
  select(item.dataset.talkId, narrow());
});
$("#alerts").addEventListener("click", (e) => {
  const link = e.target.closest("a.talk-link");
  if (!link) return;
  e.preventDefault();
  state.pushed = narrow();
  select(link.dataset.talkId, true);
  if (!narrow()) $("#talk-panel").scrollIntoView({ behavior: "smooth", block: "start" });
});
// Back and forward, a link followed, a hash typed: the URL says what to show.
let handledHash = null;
function fromLocation() {
  if (location.hash === handledHash) return;
  const before = JSON.stringify([state.filters, state.severity]);
  const talk = readHash();
  handledHash = location.hash;
  state.pushed = false;
  if (JSON.stringify([state.filters, state.severity]) !== before) {
    state.offset = 0;
    loadTalks();
    loadAlerts();
  }
  if (talk) {
    if (talk !== state.selected || narrow()) select(talk, false);
  } else if (state.selected) {
    state.selected = null;
    show("list");
    renderTalks();
  }
}
window.addEventListener("popstate", fromLocation);
window.addEventListener("hashchange", fromLocation);

setInterval(() => {
  document.querySelectorAll(".countdown[data-due]").forEach((span) => {
    const c = countdown(span.dataset.due);
    span.textContent = c.text;
    span.className = `countdown ${c.cls}`;
  });
}, 1000);
setInterval(() => document.querySelectorAll("time.relative").forEach((t) => { t.textContent = relative(t.dateTime); }), 30000);
setInterval(loadTalks, 30000);

const fromHash = readHash();
handledHash = location.hash;
if (fromHash) select(fromHash, false);
loadTalks();
loadAlerts();
