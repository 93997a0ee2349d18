// The demo page in headless Chromium (Debian's, driven by playwright-core): serve examples/web and
// the built kyc-wasm package on 127.0.0.1, choose a committed fixture photo, read what the page
// shows, and take a screenshot. Run: node --test examples/web/page.test.mjs, with KYC_NODE (from
// scripts/setup.sh) and KYC_WASM_PKG (from scripts/build_wasm.sh) set. Screenshots go to
// $KYC_SCREENSHOT_DIR (default: the system's temporary folder).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const pkg = process.env.KYC_WASM_PKG;
const nodeDir = process.env.KYC_NODE;
assert.ok(pkg && existsSync(join(pkg, "kyc_wasm.js")), "KYC_WASM_PKG must name the built package");
assert.ok(nodeDir, "KYC_NODE must name the folder holding playwright-core");
const { chromium } = createRequire(join(nodeDir, "node_modules", "x.js"))("playwright-core");

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = path.startsWith("/pkg/") ? join(pkg, path.slice(5))
      : join(here, path === "/" ? "index.html" : path.slice(1));
    if (path.includes("..") || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

test("the demo page checks a chosen photo in the browser", { timeout: 60_000 }, async () => {
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), "kyc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    viewport: { width: 1000, height: 1100 },
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 20_000 });

    const photo = join(root, "fixtures/documents/0004_passport_genuine_photo.jpg");
    await page.setInputFiles("#image", photo);
    await page.waitForSelector("#image-result[data-done='1']", { timeout: 30_000 });
    const shown = await page.textContent("#image-result");
    const expected = JSON.parse(readFileSync(join(root, "fixtures/expected/precheck_0004_passport_genuine_photo.json"), "utf8"));
    assert.match(shown, new RegExp(`${expected.width} × ${expected.height} pixels`));
    for (const check of expected.checks ?? []) {
      const row = await page.textContent(`tr[data-check='${check.check}']`);
      assert.ok(row.includes(check.outcome), `${check.check}: page shows ${row}, core says ${check.outcome}`);
    }
    if (expected.outcome) {
      assert.equal(await page.getAttribute("#overall", "data-outcome"), expected.outcome);
    }

    await page.click("#mrz-check");
    assert.equal(await page.textContent("td[data-field='surname']"), "ERIKSSON");
    assert.match(await page.textContent("#mrz-valid"), /TD3: every check digit verifies/);

    // Garbage is answered with the core's code, not a crash.
    await page.setInputFiles("#image", { name: "x.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not an image") });
    await page.waitForSelector("#image-result .error");
    assert.equal(await page.getAttribute("#image-result .error", "data-code"), "image.unsupported_format");
    await page.setInputFiles("#image", photo);
    await page.waitForSelector("#image-result[data-done='1'] #dimensions");

    // A landscape photo for a portrait capture frame: the orientation check fails, as the core says.
    await page.selectOption("#orientation", "vertical");
    await page.setInputFiles("#image", { name: "again.jpg", mimeType: "image/jpeg", buffer: readFileSync(photo) });
    await page.waitForSelector("tr[data-check='document.capture_orientation']", { timeout: 30_000 });
    const parity = JSON.parse(readFileSync(join(root, "fixtures/expected/parity.json"), "utf8"));
    const native = JSON.parse(parity.precheck_image.result.output);
    const turned = native.checks.find((c) => c.check === "document.capture_orientation");
    assert.ok((await page.textContent("tr[data-check='document.capture_orientation']")).includes(turned.outcome));
    assert.equal(turned.outcome, "failed");

    const shot = join(process.env.KYC_SCREENSHOT_DIR ?? tmpdir(), "kyc-web-demo.png");
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
