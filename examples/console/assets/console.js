// kyc console, operator pages: the Logs tiles kept live by Server-Sent Events, the session pane
// rendered from /api/sessions/{id}, and the Links batch CSV. No framework, no build step.
"use strict";

const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const num = (v, d = 4) => (typeof v === "number" ? v.toFixed(d) : "");

function checksTable(checks) {
  if (!checks || !checks.length) return "<p class='hint'>no checks</p>";
  let h = "<table class='checks'><tr><th>check</th><th>outcome</th><th>score</th><th>threshold</th><th>reason</th><th>critical</th></tr>";
  for (const c of checks) {
    h += `<tr data-check="${esc(c.check)}"><td>${esc(c.check)}</td><td class="outcome-${esc(c.outcome)}">${esc(c.outcome)}</td>` +
      `<td>${num(c.score)}</td><td>${c.comparison === "at_most" ? "≤ " : c.comparison === "at_least" ? "≥ " : ""}${num(c.threshold)}</td>` +
      `<td title="${esc(c.message)}">${esc(c.reason_code)}</td><td>${c.critical ? "yes" : ""}</td></tr>`;
  }
  return h + "</table>";
}

function renderPane(pane, data) {
  const r = data.result || {};
  const t = data.tile;
  let h = `<h2 id="pane-title" data-session="${esc(t.id)}" data-status="${esc(t.status)}">${esc(t.full_name || "(no name read)")} <small class="status-${esc(t.status)}">${esc(t.status)}</small></h2>`;
  h += `<p>Session <a href="/sessions/${esc(t.id)}">${esc(t.id)}</a> · scenario ${esc(t.scenario_id)} · ${esc(t.origin)} · ${esc(t.updated)}</p>`;
  const d = r.decision || {};
  h += `<p>Decision: <b class="status-${esc(d.status)}">${esc(d.status)}</b> (${esc(d.reason_code)}), by ${esc(d.decided_by?.type)}${d.decided_by?.operator_id ? " " + esc(d.decided_by.operator_id) : ""}</p>`;
  if (r.failure) {
    h += `<h3>Failure reason</h3><p class="error" id="failure">${esc(r.failure.reason_code || "")} ${esc(r.failure.message || "")}</p>`;
    if (r.failure.checks) h += checksTable(r.failure.checks);
  }
  const doc = r.document;
  h += "<h3>Document</h3>";
  if (doc) {
    h += `<p>Type <b id="document-type">${esc(doc.document_type)}</b> (${num(doc.type_confidence, 3)}), issuing state ${esc(doc.issuing_state)}, authenticity <b id="authenticity">${esc(doc.authenticity)}</b></p>`;
    h += "<table id='fields'><tr><th>field</th><th>value</th><th>confidence</th><th>source</th></tr>";
    for (const f of doc.fields || []) h += `<tr data-field="${esc(f.name)}"><td>${esc(f.name)}</td><td>${esc(f.value)}</td><td>${num(f.confidence, 3)}</td><td>${esc(f.source)}</td></tr>`;
    h += "</table><h3>Document checks</h3>" + checksTable(doc.checks);
  } else h += "<p class='hint'>nothing read yet</p>";
  const selfie = r.selfie;
  h += "<h3>Selfie</h3>";
  if (selfie) {
    h += `<p>${esc(selfie.faces_found)} face(s); estimated age ${num(selfie.estimated_age, 1)}, gender ${esc(selfie.estimated_gender)} (${num(selfie.gender_probability, 2)})</p>` + checksTable(selfie.checks);
  } else h += "<p class='hint'>no selfie yet</p>";
  if (r.liveness) h += "<h3>Liveness</h3>" + checksTable(r.liveness.checks);
  h += "<h3>Face match</h3>";
  h += r.face_match ? `<p id="face-match">score <b>${num(r.face_match.score)}</b>, threshold ${num(r.face_match.threshold, 2)}: <span class="outcome-${esc(r.face_match.outcome)}">${esc(r.face_match.outcome)}</span> (${esc(r.face_match.model)})</p>` : "<p class='hint'>none</p>";
  if (r.customer_match) h += `<p>Customer: ${esc(JSON.stringify(r.customer_match))}</p>`;
  h += "<h3>Database checks</h3>";
  h += (r.database_checks && r.database_checks.length) ? checksTable(r.database_checks.map((x) => ({ ...(x.result || x), check: (x.source ? x.source + ": " : "") + ((x.result || x).check || "") }))) : "<p class='hint'>none</p>";
  if (r.decision?.waiting_for) h += `<p>Waiting for: ${esc(JSON.stringify(r.decision.waiting_for))}</p>`;
  if (data.images?.length) {
    h += "<h3>Images</h3><div class='images'>";
    for (const i of data.images) h += `<a href="/sessions/${esc(t.id)}/images/${esc(i.step_id)}/${i.attempt}/${esc(i.kind)}"><img alt="${esc(i.kind)}" src="/sessions/${esc(t.id)}/images/${esc(i.step_id)}/${i.attempt}/${esc(i.kind)}"></a>`;
    h += "</div>";
  }
  if (data.deliveries?.length) {
    h += "<h3>Callbacks</h3><table><tr><th>webhook-id</th><th>state</th><th>attempts</th></tr>";
    for (const x of data.deliveries) h += `<tr><td>${esc(x.delivery.webhook_id)}</td><td>${esc(x.delivery.state)}</td><td>${x.attempts.map((a) => esc(`#${a.attempt} ${a.outcome} ${a.http_status ?? a.error}`)).join("<br>")}</td></tr>`;
    h += "</table>";
  }
  if (data.manual_decisions?.length) {
    h += "<h3>Manual decisions</h3><table><tr><th>operator</th><th>decision</th><th>reason</th><th>at</th></tr>";
    for (const m of data.manual_decisions) h += `<tr><td>${esc(m.operator_id)}</td><td>${esc(m.decision)}</td><td>${esc(m.reason)}</td><td>${esc(m.at)}</td></tr>`;
    h += "</table>";
  }
  h += `<h3>Events</h3><ol class="events">${(data.events || []).map((e) => `<li>${esc(e.at)} ${esc(e.kind.type)} ${esc(e.kind.to || e.kind.step_id || "")}</li>`).join("")}</ol>`;
  h += `<h3>Result JSON</h3><pre id="raw-json">${esc(JSON.stringify(r, null, 2))}</pre>`;
  pane.innerHTML = h;
  pane.dataset.loaded = t.id;
}

async function showSession(pane, id) {
  const res = await fetch(`/api/sessions/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  if (!res.ok) { pane.innerHTML = `<p class="error">${res.status}</p>`; return; }
  renderPane(pane, await res.json());
}

function tileHtml(t) {
  return `<span class="name">${esc(t.full_name || "(no name read)")}</span><span class="status">${esc(t.status)}</span>` +
    `<span class="meta">${esc(t.scenario_id)} · ${esc(t.origin)} · ${esc(t.updated)}</span>`;
}

function setupLogs() {
  const root = document.querySelector(".logs");
  if (!root) return;
  const tiles = document.getElementById("tiles");
  const pane = document.getElementById("pane");
  let selected = null;
  tiles.addEventListener("click", (ev) => {
    const tile = ev.target.closest(".tile");
    if (!tile) return;
    tiles.querySelectorAll(".tile.selected").forEach((x) => x.classList.remove("selected"));
    tile.classList.add("selected");
    selected = tile.dataset.session;
    showSession(pane, selected);
  });
  const source = new EventSource(`/logs/stream?after=${encodeURIComponent(root.dataset.after || "0")}`);
  source.addEventListener("session", (ev) => {
    const msg = JSON.parse(ev.data);
    const t = msg.tile;
    if (!t) return;
    let tile = tiles.querySelector(`.tile[data-session="${CSS.escape(t.id)}"]`);
    if (!tile) {
      tile = document.createElement("button");
      tile.dataset.session = t.id;
    }
    tile.className = `tile status-${t.status} fresh` + (selected === t.id ? " selected" : "");
    tile.dataset.status = t.status;
    tile.innerHTML = tileHtml(t);
    tiles.prepend(tile);
    if (selected === t.id) showSession(pane, t.id);
  });
  document.body.dataset.live = "1";
}

function setupSessionPage() {
  const pane = document.querySelector("section.pane[data-session]");
  if (pane) showSession(pane, pane.dataset.session);
}

function setupBatchCsv() {
  const button = document.getElementById("batch-csv");
  if (!button) return;
  button.addEventListener("click", () => {
    const rows = [["link_id", "url", "expires_at"]];
    document.querySelectorAll("#batch tr[data-link]").forEach((tr) => rows.push([...tr.cells].map((c) => c.textContent)));
    const text = rows.map((r) => r.map((c) => /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c).join(",")).join("\n") + "\n";
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
    a.download = `kyc-links-${button.dataset.batch}.csv`;
    a.click();
  });
}

document.addEventListener("DOMContentLoaded", () => { setupLogs(); setupSessionPage(); setupBatchCsv(); });
