// The console in headless Chromium (Debian's, driven by playwright-core, launched as
// examples/web/page.test.mjs does): sign in, create a scenario in the Editor (and see a violation
// at its field), make 3 links, open one, upload fixture images (pre-checked in the page by
// kyc-wasm), see the session appear live in Logs with its checks, filter it in Reports, download
// the CSV and check its rows, take a manual decision and see the audit entry. Screenshots of each
// page go to $KYC_SCREENSHOT_DIR.
//
// Run: node --test examples/console/tests/console.test.mjs with KYC_NODE (scripts/setup.sh),
// KYC_CONSOLE_BIN (the built kyc-console), KYC_WASM_PKG (scripts/build_wasm.sh <dir>), and
// optionally KYC_CONSOLE_DATABASE (a postgres:// URL; default: a fresh SQLite file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const bin = process.env.KYC_CONSOLE_BIN;
const pkg = process.env.KYC_WASM_PKG;
const nodeDir = process.env.KYC_NODE;
assert.ok(bin && existsSync(bin), "KYC_CONSOLE_BIN must name the built kyc-console");
assert.ok(pkg && existsSync(join(pkg, "kyc_wasm.js")), "KYC_WASM_PKG must name the built kyc-wasm package");
assert.ok(nodeDir, "KYC_NODE must name the folder holding playwright-core");
const { chromium } = createRequire(join(nodeDir, "node_modules", "x.js"))("playwright-core");
const shots = process.env.KYC_SCREENSHOT_DIR ?? join(tmpdir(), "kyc-console-shots");
mkdirSync(shots, { recursive: true });
const tag = process.env.KYC_SCREENSHOT_TAG ?? "sqlite";
const PASSWORD = "console-test-password-1";

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

async function startConsole(dir) {
  const port = await freePort();
  const database = process.env.KYC_CONSOLE_DATABASE || join(dir, "console.sqlite");
  const child = spawn(bin, ["--database", database, "--listen", `127.0.0.1:${port}`, "--scenarios", join(root, "fixtures/scenarios"), "--wasm", pkg], {
    env: { ...process.env, KYC_CONSOLE_ADMIN_USER: "admin", KYC_CONSOLE_ADMIN_PASSWORD: PASSWORD },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`kyc-console exited with ${child.exitCode}`);
    try { if ((await fetch(`${base}/health`)).ok) return { child, base }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("kyc-console did not start");
}

function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
    else if (c !== "\r") cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

test("an operator runs a verification end to end in the console", { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "kyc-console-test-"));
  const profile = mkdtempSync(join(tmpdir(), "kyc-chromium-"));
  const { child, base } = await startConsole(dir);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const errors = [];
  const shot = async (page, name) => {
    const file = join(shots, `console-${tag}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  };
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));

    // Sign in (a wrong password first).
    await page.goto(`${base}/logs`);
    assert.match(page.url(), /\/login$/);
    await page.fill("#username", "admin");
    await page.fill("#password", "not the password");
    await page.click("#sign-in");
    await page.waitForSelector("#login-error");
    await shot(page, "01-sign-in");
    await page.fill("#username", "admin");
    await page.fill("#password", PASSWORD);
    await page.click("#sign-in");
    await page.waitForURL(`${base}/logs`);

    // A POST without the CSRF token is refused.
    const forged = await page.evaluate(async () => (await fetch("/retention/run", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "csrf=forged" })).status);
    assert.equal(forged, 403);

    // Editor: a new scenario; a bad value is shown at its field; then saved.
    const scenarioId = `console-test-${Date.now().toString(36)}`;
    await page.goto(`${base}/editor/new`);
    await page.waitForSelector("body[data-ready='1']");
    await page.fill(`[data-bind='["id"]']`, scenarioId);
    await page.fill(`[data-bind='["name"]']`, "Console test: passport, selfie, a registry");
    await page.fill(`[data-bind='["limits","critical_errors_before_block"]']`, "0");
    await page.click("#save");
    const violation = `.field[data-path='$.limits.critical_errors_before_block'] .violation`;
    await page.waitForSelector(violation);
    assert.match(await page.textContent(violation), /scenario\.out_of_range|1 to 100|at least/);
    await shot(page, "02-editor-violation");
    await page.fill(`[data-bind='["limits","critical_errors_before_block"]']`, "3");
    await page.click("#add-database_checks");
    await page.fill(`[data-bind='["database_checks",0,"source"]']`, "registry.manual_review");
    await page.fill(`[data-bind='["database_checks",0,"deadline_minutes"]']`, "1440");
    await page.click("#save");
    await page.waitForURL(`${base}/editor`);
    await page.waitForSelector(`tr[data-scenario='${scenarioId}']`);
    // The secret never reaches the page.
    await page.goto(`${base}/editor/${scenarioId}`);
    await page.waitForSelector("body[data-ready='1']");
    assert.ok(!(await page.content()).includes("secret_key\":"), "the editor page must not carry the secret");
    await shot(page, "03-editor");

    // Links: three for the new scenario.
    await page.goto(`${base}/links`);
    await page.selectOption("#link-scenario", scenarioId);
    await page.fill("#link-count", "3");
    await page.fill("#link-lifetime", "60");
    await page.click("#make-links");
    await page.waitForSelector("#batch");
    const urls = await page.$$eval("#batch a.link-url", (as) => as.map((a) => a.href));
    assert.equal(urls.length, 3);
    const linkId = await page.getAttribute("#batch tr[data-link]", "data-link");
    assert.equal(await page.$$eval(`#links tr[data-status='created']`, (r) => r.length) >= 3, true);
    await shot(page, "04-links");

    // Logs open before the session exists: it must arrive live.
    await page.goto(`${base}/logs`);
    await page.waitForSelector("body[data-live='1']");

    // The person opens the link and uploads the fixture images.
    const person = await context.newPage();
    person.on("pageerror", (e) => errors.push(String(e)));
    await person.goto(urls[0]);
    await person.waitForSelector("body[data-ready='1']");
    assert.equal(await person.getAttribute("body", "data-wasm"), "1", "the kyc-wasm pre-check must load");
    const sessionId = await person.getAttribute("#capture", "data-session");
    await person.setInputFiles("section[data-step='passport'] input[data-image='document_front']", join(root, "fixtures/documents/0002_passport_genuine_photo.jpg"));
    await person.waitForSelector(".precheck[data-for='document_front'][data-done='1'] .precheck-outcome", { timeout: 60_000 });
    await shot(person, "05-capture-precheck");
    await person.click("section[data-step='passport'] button.send");
    await person.waitForSelector("section[data-step='passport'] .outcome[data-done='1']", { timeout: 120_000 });
    assert.equal(await person.getAttribute("section[data-step='passport'] .outcome [data-outcome]", "data-outcome"), "passed");
    await person.setInputFiles("section[data-step='selfie'] input[data-image='selfie']", join(root, "fixtures/faces/holder_selfie.png"));
    await person.click("section[data-step='selfie'] button.send");
    await person.waitForSelector("section[data-step='selfie'] .outcome[data-done='1']", { timeout: 120_000 });
    assert.equal(await person.getAttribute("#final", "data-status"), "awaiting_database_checks");
    await shot(person, "06-capture-done");
    // The link was spent: opening it again is refused.
    const again = await fetch(urls[0], { redirect: "manual" });
    assert.equal(again.status, 410);

    // Logs: the tile arrived by Server-Sent Events; its pane shows the checks.
    const tile = `.tile[data-session='${sessionId}'][data-status='awaiting_database_checks']`;
    await page.waitForSelector(tile, { timeout: 30_000 });
    await page.click(tile);
    await page.waitForSelector(`#pane-title[data-session='${sessionId}']`);
    assert.equal(await page.textContent("#document-type"), "passport");
    assert.ok((await page.$$("#pane tr[data-check]")).length >= 10, "the pane lists the checks");
    assert.match(await page.textContent("#pane tr[data-check='document.fully_visible']"), /passed/);
    assert.match(await page.textContent("#face-match"), /passed/);
    assert.match(await page.textContent("#raw-json"), /"schema_version": 1/);
    await shot(page, "07-logs");

    // Reports: filter by a name prefix in lower case and the scenario; the CSV has the row.
    await page.goto(`${base}/reports?scenario=${scenarioId}&name=lindq`);
    await page.waitForSelector(`#report tr[data-session='${sessionId}']`);
    assert.equal(await page.getAttribute("#total", "data-total"), "1");
    await page.goto(`${base}/reports?scenario=${scenarioId}&name=zzz`);
    assert.equal(await page.getAttribute("#total", "data-total"), "0");
    await page.goto(`${base}/reports?scenario=${scenarioId}&number=${encodeURIComponent("")}&status=awaiting_database_checks&name=LINDQ`);
    await page.waitForSelector(`#report tr[data-session='${sessionId}']`);
    await shot(page, "08-reports");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    const csv = readFileSync(await download.path(), "utf8");
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0].slice(0, 4), ["session_id", "scenario_id", "status", "status_reason"]);
    assert.equal(rows.length, 2, csv);
    const header = rows[0];
    const row = Object.fromEntries(header.map((h, i) => [h, rows[1][i]]));
    assert.equal(row.session_id, sessionId);
    assert.equal(row.scenario_id, scenarioId);
    assert.equal(row.status, "awaiting_database_checks");
    assert.equal(row.surname, "LINDQVIST");
    assert.equal(row.origin, "link");
    assert.equal(row.document_type, "passport");

    // A manual decision, and its audit entry.
    await page.goto(`${base}/sessions/${sessionId}`);
    await page.waitForSelector(`#pane-title[data-session='${sessionId}']`);
    await page.selectOption("#decision", "declined");
    await page.fill("#reason", "Registry answered by phone: document reported stolen");
    await page.click("#decide");
    await page.waitForSelector("#audit-trail tr[data-action='decision']");
    assert.match(await page.textContent("#audit-trail tr[data-action='decision']"), /declined: Registry answered by phone/);
    await page.waitForSelector(`#pane-title[data-status='declined']`);
    await shot(page, "09-session-decided");

    // The link's status followed its session.
    await page.goto(`${base}/links`);
    await page.waitForSelector(`#links tr[data-link='${linkId}'][data-status='failure']`);

    // The other pages render.
    for (const [path, name] of [["/callbacks", "10-callbacks"], ["/retention", "11-retention"], ["/face-lists", "12-face-lists"], ["/audit", "13-audit"], ["/sessions/new", "14-add-session"]]) {
      await page.goto(`${base}${path}`);
      await shot(page, name);
    }
    assert.ok(await page.$("#new-session"));
    await page.goto(`${base}/audit`);
    for (const action of ["sign_in", "scenario_saved", "links_made", "decision"]) {
      assert.ok(await page.$(`#audit tr[data-action='${action}']`), `audit has ${action}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    child.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
