// The capture page a link opens: each document photo is pre-checked in the page by kyc-wasm
// (precheckImage with the step's capture orientation from the scenario's description) before it
// is sent; then each step's images go to the console, whose engine decides.
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const description = JSON.parse(document.getElementById("description").textContent);
const root = document.getElementById("capture");
const useWasm = document.getElementById("capture-root").dataset.wasm === "1";
let wasm = null;

async function loadWasm() {
  if (!useWasm) return null;
  try {
    const mod = await import("/wasm/kyc_wasm.js");
    await mod.default({ module_or_path: "/wasm/kyc_wasm_bg.wasm" });
    return mod;
  } catch (e) {
    document.getElementById("precheck-note").textContent = `The in-page pre-check could not load (${e}); photos are checked on upload.`;
    return null;
  }
}

async function precheck(input) {
  const out = root.querySelector(`.precheck[data-for="${input.dataset.image}"]`);
  const section = input.closest(".step");
  if (!wasm || !input.files.length || !input.dataset.image.startsWith("document")) return;
  out.dataset.done = "0";
  try {
    const bytes = new Uint8Array(await input.files[0].arrayBuffer());
    const orientation = section.dataset.orientation || undefined;
    const result = JSON.parse(wasm.precheckImage(bytes, orientation));
    const rows = (result.checks || []).map((c) => `<tr data-check="${esc(c.check)}"><td>${esc(c.check)}</td><td class="outcome-${esc(c.outcome)}">${esc(c.outcome)}</td><td>${esc(c.reason_code)}</td></tr>`).join("");
    out.innerHTML = `<p>Pre-check: <b data-outcome="${esc(result.outcome)}" class="precheck-outcome outcome-${esc(result.outcome)}">${esc(result.outcome)}</b> (${esc(result.width)} × ${esc(result.height)})</p><table>${rows}</table>`;
  } catch (e) {
    out.innerHTML = `<p class="error" data-code="${esc(e.code)}">${esc(e.code || "")}: ${esc(e.message || e)}</p>`;
  }
  out.dataset.done = "1";
}

async function send(button) {
  const section = button.closest(".step");
  const outcome = section.querySelector(".outcome");
  const form = new FormData();
  form.append("step_id", section.dataset.step);
  for (const input of section.querySelectorAll("input[type=file]")) {
    for (const file of input.files) form.append(input.dataset.image, file, file.name);
  }
  button.disabled = true;
  outcome.textContent = "checking…";
  try {
    const res = await fetch("/capture/submit", { method: "POST", body: form, credentials: "same-origin" });
    const body = await res.json();
    if (!res.ok) {
      outcome.innerHTML = `<span class="error" data-code="${esc(body.code)}">${esc(body.code)}: ${esc(body.message)}</span>`;
    } else {
      outcome.innerHTML = `<span class="outcome-${esc(body.outcome)}" data-outcome="${esc(body.outcome)}">${esc(body.outcome)}</span> (${esc(body.reason_code)}); attempts left ${esc(body.attempts_left)}`;
      section.classList.toggle("done", body.outcome !== "failed");
      root.dataset.status = body.status;
      root.dataset.next = body.next_step || "";
      const final = document.getElementById("final");
      final.dataset.status = body.status;
      final.textContent = body.next_step ? `Next: ${body.next_step}` : `Thank you: your check is ${body.status.replace(/_/g, " ")}.`;
    }
  } catch (e) {
    outcome.textContent = String(e);
  }
  button.disabled = false;
  outcome.dataset.done = "1";
}

wasm = await loadWasm();
for (const input of root.querySelectorAll("input[type=file]")) input.addEventListener("change", () => precheck(input));
for (const button of root.querySelectorAll("button.send")) button.addEventListener("click", () => send(button));
document.body.dataset.ready = "1";
document.body.dataset.wasm = wasm ? "1" : "0";
void description;
