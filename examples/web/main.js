// The demo's only code: read the chosen file, hand its bytes to kyc-wasm, show what it says. Every
// rule and threshold is in the WebAssembly module (kyc-core); this file only renders.
import init, { precheckImage, parseMrz } from "./pkg/kyc_wasm.js";

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function showError(target, e) {
  // A KycError from the module carries the core's stable code.
  target.replaceChildren(el("p", { class: "error", "data-code": e.code ?? "" },
    `${e.code ?? "error"}: ${e.message ?? e}`));
}

function checksTable(checks) {
  const table = el("table", {}, el("tr", {},
    el("th", {}, "check"), el("th", {}, "outcome"), el("th", {}, "score"),
    el("th", {}, "threshold"), el("th", {}, "reason")));
  for (const c of checks) {
    const fmt = (x) => (typeof x === "number" ? x.toFixed(3) : x ?? "");
    table.append(el("tr", { "data-check": c.check },
      el("td", {}, c.check), el("td", { class: c.outcome }, c.outcome), el("td", {}, fmt(c.score)),
      el("td", {}, `${c.comparison ?? ""} ${fmt(c.threshold)}`), el("td", {}, c.reason_code ?? "")));
  }
  return table;
}

function showPrecheck(target, result) {
  const parts = [];
  if (result.width) parts.push(el("p", { id: "dimensions" }, `${result.width} × ${result.height} pixels`));
  if (result.outcome) {
    parts.push(el("p", { id: "overall", class: result.outcome, "data-outcome": result.outcome },
      `Overall: ${result.outcome}`));
  }
  if (Array.isArray(result.checks)) parts.push(checksTable(result.checks));
  target.replaceChildren(...parts);
  target.dataset.done = "1";
}

async function onImage(event) {
  const file = event.target.files[0];
  const target = $("image-result");
  delete target.dataset.done;
  if (!file) return;
  $("preview").src = URL.createObjectURL(file);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const started = performance.now();
  try {
    const orientation = $("orientation").value || undefined;
    showPrecheck(target, JSON.parse(precheckImage(bytes, orientation)));
    target.append(el("p", { class: "timing" }, `checked in ${Math.round(performance.now() - started)} ms`));
  } catch (e) {
    showError(target, e);
    target.dataset.done = "1";
  }
}

function onMrz() {
  const target = $("mrz-result");
  const today = new Date().toISOString().slice(0, 10);
  try {
    const report = JSON.parse(parseMrz($("mrz").value.trim(), today));
    const f = report.fields;
    target.replaceChildren(
      el("p", { id: "mrz-valid", class: report.valid ? "passed" : "failed" },
        `${report.format}: ${report.valid ? "every check digit verifies" : "check digits fail"}`),
      el("table", {},
        ...[["surname", f.surname], ["given names", f.given_names], ["document number", f.document_number],
          ["nationality", f.nationality], ["birth date", f.birth_date ?? f.birth_date_raw],
          ["expiry date", f.expiry_date ?? f.expiry_date_raw], ["sex", f.sex]]
          .map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", { "data-field": k }, v ?? "")))));
  } catch (e) {
    showError(target, e);
  }
}

await init();
$("image").disabled = false;
$("mrz-check").disabled = false;
$("image").addEventListener("change", onImage);
$("mrz-check").addEventListener("click", onMrz);
$("status").textContent = "Ready: nothing you choose is uploaded.";
document.body.dataset.ready = "1";
