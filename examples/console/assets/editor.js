// KYC Editor: a form built from the published scenario JSON Schema (/schema/scenario.json). The
// form edits a JSON value in memory; saving posts it, and every violation the engine reports comes
// back with its JSON path, shown at the field of that path. No framework, no build step.
"use strict";

let schema, state, root;
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function resolve(node) {
  let n = node || {};
  while (n.$ref) {
    const name = n.$ref.replace("#/$defs/", "");
    const { $ref, ...rest } = n;
    n = { ...schema.$defs[name], ...rest };
  }
  return n;
}
// An optional wrapper (anyOf [X, null] or type [T, "null"]) → [inner, nullable].
function unwrap(node) {
  const n = resolve(node);
  if (n.anyOf && n.anyOf.length === 2 && n.anyOf.some((a) => a.type === "null")) {
    const inner = n.anyOf.find((a) => a.type !== "null");
    return [{ ...resolve(inner), description: n.description ?? resolve(inner).description }, true];
  }
  if (Array.isArray(n.type) && n.type.includes("null")) return [{ ...n, type: n.type.find((t) => t !== "null") }, true];
  return [n, false];
}
const enumValues = (n) => (n.oneOf && n.oneOf.every((o) => "const" in o)) ? n.oneOf.map((o) => ({ value: o.const, label: o.const, title: o.description })) : (n.enum ? n.enum.map((v) => ({ value: v, label: v })) : null);
const variants = (n) => (n.oneOf && n.oneOf.every((o) => o.type === "object" && o.required?.length === 1)) ? n.oneOf.map((o) => ({ key: o.required[0], node: o.properties[o.required[0]], title: o.description })) : null;

function getAt(path) { let v = state; for (const k of path) { if (v == null) return undefined; v = v[k]; } return v; }
function setAt(path, value) {
  let v = state;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (v[k] == null || typeof v[k] !== "object") v[k] = typeof path[i + 1] === "number" ? [] : {};
    v = v[k];
  }
  const last = path[path.length - 1];
  if (value === undefined) { if (Array.isArray(v)) v.splice(last, 1); else delete v[last]; } else v[last] = value;
  document.getElementById("json-view").value = JSON.stringify(state, null, 2);
}
const jsonPath = (path) => "$" + path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");

function field(path, label, desc, control) {
  return `<div class="field" data-path="${esc(jsonPath(path))}"><label>${esc(label)} ${control}</label>${desc ? `<span class="desc">${esc(desc)}</span>` : ""}</div>`;
}

function render(node, path, label, required) {
  const [n, nullable] = unwrap(node);
  const value = getAt(path);
  const p = esc(JSON.stringify(path));
  const desc = n.description;
  const en = enumValues(n);
  if (en) {
    const cur = value ?? n.default ?? "";
    const opts = (nullable || !required ? [`<option value=""${cur === "" ? " selected" : ""}>(none)</option>`] : []).concat(en.map((o) => `<option value="${esc(o.value)}"${o.value === cur ? " selected" : ""} title="${esc(o.title)}">${esc(o.label)}</option>`));
    return field(path, label, desc, `<select data-bind='${p}' data-kind="enum">${opts.join("")}</select>`);
  }
  const vs = variants(n);
  if (vs) {
    const cur = value && typeof value === "object" ? Object.keys(value)[0] : vs[0].key;
    const sel = `<select data-variant='${p}'>${vs.map((v) => `<option value="${esc(v.key)}"${v.key === cur ? " selected" : ""}>${esc(v.key)}</option>`).join("")}</select>`;
    const chosen = vs.find((v) => v.key === cur) || vs[0];
    if (!value) setAt(path, { [chosen.key]: {} });
    return `<fieldset data-path="${esc(jsonPath(path))}"><legend>${esc(label)} ${sel}</legend>${render(chosen.node, [...path, chosen.key], chosen.key, true)}</fieldset>`;
  }
  const type = n.type;
  if (type === "object" || n.properties) {
    if (nullable && value == null) {
      return `<fieldset data-path="${esc(jsonPath(path))}"><legend>${esc(label)}</legend><button type="button" class="secondary" data-enable='${p}'>+ set ${esc(label)}</button>${desc ? `<span class="desc">${esc(desc)}</span>` : ""}</fieldset>`;
    }
    const req = new Set(n.required || []);
    let h = `<fieldset data-path="${esc(jsonPath(path))}"><legend>${esc(label)}${nullable ? ` <button type="button" class="secondary" data-clear='${p}'>remove</button>` : ""}</legend>`;
    if (desc && path.length) h += `<span class="desc">${esc(desc)}</span>`;
    for (const [k, child] of Object.entries(n.properties || {})) {
      if (path.length === 0 && k === "secret_key") continue;
      h += render(child, [...path, k], k, req.has(k));
    }
    return h + "</fieldset>";
  }
  if (type === "array") {
    const items = resolve(n.items);
    const ien = enumValues(items);
    const list = Array.isArray(value) ? value : [];
    if (ien) {
      const boxes = ien.map((o) => `<label class="check"><input type="checkbox" data-multi='${p}' value="${esc(o.value)}"${list.includes(o.value) ? " checked" : ""}> ${esc(o.label)}</label>`).join(" ");
      return `<div class="field" data-path="${esc(jsonPath(path))}"><span>${esc(label)}</span><div>${boxes}</div>${desc ? `<span class="desc">${esc(desc)}</span>` : ""}</div>`;
    }
    if (items.type === "string") {
      return field(path, label, desc, `<input data-bind='${p}' data-kind="lines" value="${esc(list.join(", "))}" placeholder="comma-separated">`);
    }
    let h = `<fieldset data-path="${esc(jsonPath(path))}"><legend>${esc(label)}</legend>${desc ? `<span class="desc">${esc(desc)}</span>` : ""}`;
    list.forEach((_, i) => {
      h += `<div class="item">${render(n.items, [...path, i], `${label}[${i}]`, true)}<button type="button" class="secondary" data-remove='${esc(JSON.stringify([...path, i]))}'>remove ${esc(label)}[${i}]</button></div>`;
    });
    return h + `<button type="button" class="secondary" data-add='${p}' id="add-${esc(path.join("-"))}">+ add to ${esc(label)}</button></fieldset>`;
  }
  if (type === "boolean") {
    const cur = value ?? n.default ?? false;
    return field(path, label, desc, `<input type="checkbox" data-bind='${p}' data-kind="bool"${cur ? " checked" : ""}>`);
  }
  if (type === "integer" || type === "number") {
    const cur = value ?? "";
    return field(path, label, desc, `<input type="text" inputmode="numeric" data-bind='${p}' data-kind="number" value="${esc(cur)}" placeholder="${esc(n.default ?? "")}">`);
  }
  const cur = value ?? "";
  return field(path, label, desc, `<input type="text" data-bind='${p}' data-kind="text" data-nullable="${nullable || !required ? 1 : 0}" value="${esc(cur)}">`);
}

function draw() {
  root.innerHTML = render(schema, [], "scenario", true);
  document.getElementById("json-view").value = JSON.stringify(state, null, 2);
  const editing = document.getElementById("editor").dataset.mode === "edit";
  const id = root.querySelector('[data-bind=\'["id"]\']');
  if (editing && id) id.readOnly = true;
}

function emptyFor(node) {
  const [n] = unwrap(node);
  if (enumValues(n)) return enumValues(n)[0].value;
  const vs = variants(n);
  if (vs) return { [vs[0].key]: {} };
  if (n.type === "object" || n.properties) {
    const o = {};
    for (const k of n.required || []) o[k] = emptyFor(n.properties[k]);
    return o;
  }
  if (n.type === "array") return [];
  if (n.type === "boolean") return false;
  if (n.type === "integer" || n.type === "number") return n.default ?? 0;
  return "";
}

function onInput(ev) {
  const el = ev.target;
  if (el.dataset.bind) {
    const path = JSON.parse(el.dataset.bind);
    const kind = el.dataset.kind;
    let v;
    if (kind === "bool") v = el.checked;
    else if (kind === "number") v = el.value.trim() === "" ? undefined : (/^-?\d+(\.\d+)?$/.test(el.value.trim()) ? Number(el.value.trim()) : el.value);
    else if (kind === "lines") v = el.value.split(",").map((s) => s.trim()).filter(Boolean);
    else if (kind === "enum") v = el.value === "" ? undefined : el.value;
    else v = (el.value === "" && el.dataset.nullable === "1") ? undefined : el.value;
    setAt(path, v);
  } else if (el.dataset.multi) {
    const path = JSON.parse(el.dataset.multi);
    const all = [...root.querySelectorAll(`input[data-multi='${el.dataset.multi}']`)].filter((x) => x.checked).map((x) => x.value);
    setAt(path, all);
  } else if (el.dataset.variant) {
    const path = JSON.parse(el.dataset.variant);
    const old = getAt(path) || {};
    const inner = Object.values(old)[0] || {};
    setAt(path, { [el.value]: { id: inner.id ?? "" } });
    draw();
  }
}

function nodeAt(path) {
  let n = schema;
  for (const k of path) {
    let [u] = unwrap(n);
    const vs = variants(u);
    if (typeof k === "number") n = u.items;
    else if (vs) n = vs.find((v) => v.key === k).node;
    else n = u.properties[k];
  }
  return n;
}

function onClick(ev) {
  const b = ev.target;
  if (b.dataset.add) {
    const path = JSON.parse(b.dataset.add);
    const list = getAt(path) || [];
    const items = unwrap(nodeAt(path))[0].items;
    setAt(path, [...list, emptyFor(items)]);
    draw();
  } else if (b.dataset.remove) {
    setAt(JSON.parse(b.dataset.remove), undefined);
    draw();
  } else if (b.dataset.enable) {
    const path = JSON.parse(b.dataset.enable);
    setAt(path, emptyFor(nodeAt(path)));
    draw();
  } else if (b.dataset.clear) {
    setAt(JSON.parse(b.dataset.clear), undefined);
    draw();
  }
}

function showViolations(list) {
  document.querySelectorAll(".field.invalid, fieldset.invalid").forEach((x) => x.classList.remove("invalid"));
  document.querySelectorAll("#scenario-form .violation").forEach((x) => x.remove());
  const top = document.getElementById("violations");
  top.innerHTML = list.length ? `<p>${list.length} problem(s):</p><ul>${list.map((v) => `<li data-path="${esc(v.path)}">${esc(v.path)}: ${esc(v.message)} (${esc(v.code)})</li>`).join("")}</ul>` : "";
  for (const v of list) {
    let p = v.path, target = null;
    while (p && !(target = root.querySelector(`[data-path="${CSS.escape(p)}"]`))) {
      const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    if (!target) continue;
    target.classList.add("invalid");
    const span = document.createElement("span");
    span.className = "violation";
    span.dataset.code = v.code;
    span.dataset.path = v.path;
    span.textContent = `${v.message} (${v.code})`;
    target.appendChild(span);
  }
}

async function save(ev) {
  ev.preventDefault();
  const editor = document.getElementById("editor");
  const status = document.getElementById("save-status");
  status.textContent = "saving…";
  const res = await fetch("/api/scenarios", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": document.querySelector("meta[name=csrf-token]").content },
    body: JSON.stringify({ mode: editor.dataset.mode, version: Number(editor.dataset.version), scenario: state, secret_key: document.getElementById("secret-key").value }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.ok) {
    status.textContent = `saved ${body.id}`;
    status.dataset.saved = body.id;
    showViolations([]);
    setTimeout(() => { location.href = "/editor"; }, 300);
  } else {
    status.textContent = `${body.code || res.status}: ${body.message || ""}`;
    showViolations(body.violations && body.violations.length ? body.violations : [{ path: "$", code: body.code, message: body.message }]);
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  root = document.getElementById("form-root");
  state = JSON.parse(document.getElementById("scenario-data").textContent);
  schema = await (await fetch("/schema/scenario.json", { credentials: "same-origin" })).json();
  draw();
  root.addEventListener("change", onInput);
  root.addEventListener("input", (ev) => { const k = ev.target.dataset.kind; if (ev.target.dataset.bind && k !== "enum" && k !== "bool") onInput(ev); });
  root.addEventListener("click", onClick);
  document.getElementById("scenario-form").addEventListener("submit", save);
  document.body.dataset.ready = "1";
});
