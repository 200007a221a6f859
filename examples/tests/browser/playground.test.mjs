// The playground in a real browser: Debian's headless Chromium, driven by
// playwright-core. Starts the server (PLAYGROUND_BIN, --port 0), loads the
// page, runs GD and Newton on the κ = 100 quadratic from a clicked start,
// checks the two trajectories and that the step counts shown equal the
// API's, shows a local model and an MLP spectrum, and sees a bad formula's
// error. Screenshots go to SCREENSHOTS (a folder; default: none).
//
// Run through run.sh, which installs what this needs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BIN = process.env.PLAYGROUND_BIN;
const SHOTS = process.env.SCREENSHOTS;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Starts the server on a free port; resolves to [process, base URL]. */
function startServer() {
  return new Promise((resolve, reject) => {
    const server = spawn(BIN, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve([server, m[0]]);
    });
    server.on("error", reject);
    server.on("exit", (code) => reject(new Error("the server exited with " + code + ": " + out)));
  });
}

async function post(base, endpoint, body) {
  const r = await fetch(base + "api/" + endpoint, { method: "POST", body: JSON.stringify(body) });
  return [r.status, await r.json()];
}

test("the playground page runs optimizers, shows curvature and reports bad formulas", { timeout: 240_000 }, async () => {
  assert.ok(BIN, "PLAYGROUND_BIN names the playground binary");
  const [server, base] = await startServer();
  const profile = mkdtempSync(join(tmpdir(), "playground-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1500 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    const arenaAnswer = () => page.waitForResponse((r) => r.url().endsWith("/api/arena"));
    await page.goto(base);
    await page.waitForSelector("#results tbody tr");

    // The κ = 100 quadratic, GD and Newton only.
    let answered = arenaAnswer();
    await page.selectOption("#function", "quadratic");
    await answered;
    answered = arenaAnswer();
    await page.$eval("#condition", (e) => { e.value = "2"; e.dispatchEvent(new Event("input")); e.dispatchEvent(new Event("change")); });
    await answered;
    assert.equal(await page.textContent("#condition-value"), "κ = 100");
    for (const box of await page.$$("#optimizers input")) {
      const name = await box.getAttribute("value");
      if ((await box.isChecked()) !== (name === "gd" || name === "newton")) {
        answered = arenaAnswer();
        await box.click();
        await answered;
      }
    }
    // A start point by clicking the plot, left of and above the centre.
    const plot = await page.$("#arena-plot");
    const box = await plot.boundingBox();
    answered = arenaAnswer();
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.3);
    await answered;
    const request = await page.evaluate(() => window.lastArenaRequest);
    assert.equal(request.function, "quadratic");
    assert.equal(request.condition, 100);
    assert.deepEqual(request.optimizers, ["gd", "newton"]);
    assert.ok(request.start[0] < 0 && request.start[1] > 0, "the clicked start " + request.start);

    // Two trajectories, drawn to their ends.
    await page.waitForSelector("#arena-plot:not([data-animating])");
    const lines = await page.$$eval("#arena-plot polyline.trajectory", (ps) => ps.map((p) => [p.dataset.name, p.points.numberOfItems]));
    assert.deepEqual(lines.map((l) => l[0]).sort(), ["gd", "newton"]);

    // The step counts shown equal the API's for the same request.
    const [status, api] = await post(base, "arena", request);
    assert.equal(status, 200);
    for (const run of api.runs) {
      const shown = await page.textContent(`#results tr[data-name='${run.name}'] td.steps`);
      assert.equal(Number(shown), run.iterations, run.name);
      const drawn = lines.find((l) => l[0] === run.name)[1];
      assert.equal(drawn, run.path.length, run.name + ": every iterate drawn");
    }
    assert.equal(api.runs.find((r) => r.name === "newton").iterations, 1);
    assert.ok(api.runs.find((r) => r.name === "gd").iterations > 100);
    // Hovering Newton's last iterate, the minimiser, shows it with its f.
    const [px, py] = await page.evaluate("[arenaFrame.sx(0), arenaFrame.sy(0)]");
    await page.mouse.move(box.x + px, box.y + py);
    await page.waitForSelector("#tooltip:not([hidden])");
    assert.match(await page.textContent("#tooltip"), /^(gd|newton), iterate \d+:\n\(.*\)\nf = /);
    if (SHOTS) await (await page.$("#arena-panel")).screenshot({ path: join(SHOTS, "playground-arena.png") });

    // The local model at a clicked point of the curvature plot.
    const curvature = await (await page.$("#curvature-plot")).boundingBox();
    const local = page.waitForResponse((r) => r.url().endsWith("/api/local_model"));
    await page.mouse.click(curvature.x + curvature.width * 0.7, curvature.y + curvature.height * 0.35);
    assert.equal((await local).status(), 200);
    await page.waitForSelector("#curvature-plot g.model polyline");
    assert.match(await page.textContent("#local-info"), /condition number 100\b/);

    // The MLP's spectrum, with few training steps (a debug build is slow).
    await page.fill("#train-steps", process.env.TRAIN_STEPS || "20");
    await page.click("#spectrum-run");
    await page.waitForSelector("#spectrum-plot polyline.density", { timeout: 120_000 });
    assert.equal(await page.$$eval("#spectrum-plot polyline.density", (ps) => ps.length), 2);
    assert.equal(await page.isVisible("#spectrum-progress"), false);
    if (SHOTS) {
      await (await page.$("#curvature-panel")).screenshot({ path: join(SHOTS, "playground-curvature.png") });
      await (await page.$("#spectrum-panel")).screenshot({ path: join(SHOTS, "playground-spectrum.png") });
    }

    // A formula that does not parse: the error, with its column, on the page.
    await page.selectOption("#function", "formula");
    await page.waitForSelector("#formula-controls:not([hidden])");
    await page.fill("#formula", "x^2 + * y");
    await page.press("#formula", "Enter");
    await page.waitForSelector("#error:not([hidden])");
    assert.match(await page.textContent("#error"), /formula: column 7/);
    // A good one clears it and draws its contours.
    const surface = page.waitForResponse((r) => r.url().endsWith("/api/surface"));
    await page.fill("#formula", "(x - 1)^2 + 10*(y - x^2)^2");
    await page.press("#formula", "Enter");
    assert.equal((await surface).status(), 200);
    await page.waitForSelector("#error[hidden]", { state: "attached" });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    server.kill();
    rmSync(profile, { recursive: true, force: true });
  }
});

if (SHOTS) mkdirSync(SHOTS, { recursive: true });
