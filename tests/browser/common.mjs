// Shared by the browser scenarios (review.mjs, record.mjs): their environment inputs, step
// logging, checks, sign-in, and running a scenario in headless Chromium with the failure
// screenshot and page source saved to the artifacts directory.
//
// Inputs (environment): NOTED_URL, NOTED_EMAIL, NOTED_PASSWORD, NOTED_ARTIFACTS, optional
// NOTED_CHROMIUM (default /usr/bin/chromium), NOTED_CLIENT (default "Alex Demo"),
// NOTED_JOB_TIMEOUT_MS (per model job, default 20 minutes).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

/// The environment variable `name`; exits 2 naming it when it is missing.
export function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return v;
}

export const BASE = need("NOTED_URL").replace(/\/+$/, "");
export const EMAIL = need("NOTED_EMAIL");
export const PASSWORD = need("NOTED_PASSWORD");
export const ARTIFACTS = need("NOTED_ARTIFACTS");
export const CHROMIUM = process.env.NOTED_CHROMIUM || "/usr/bin/chromium";
export const CLIENT = process.env.NOTED_CLIENT || "Alex Demo";
export const JOB_TIMEOUT = Number(process.env.NOTED_JOB_TIMEOUT_MS || 20 * 60 * 1000);
export const UI_TIMEOUT = 30 * 1000;

fs.mkdirSync(ARTIFACTS, { recursive: true });

let step = "start";
const t0 = Date.now();

export function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`[${s}s] ${msg}`);
}

/// Starts the named step (reported if the scenario fails in it).
export function begin(name) {
  step = name;
  log(`step: ${name}`);
}

export function check(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
}

/// Seconds since the scenario started, rounded.
export function elapsedSeconds() {
  return Math.round((Date.now() - t0) / 1000);
}

/// Fails fast when the server answered with an error page instead of the expected one.
export async function noErrorPage(page) {
  const title = await page.title();
  if (/^(Error|Not found|Forbidden|Conflict)/i.test(title) || (await page.locator("main .alert[role=alert]").count()) > 0) {
    const text = (await page.locator("main").innerText()).slice(0, 800);
    throw new Error(`the server answered with an error page (${page.url()}): ${text}`);
  }
}

/// Signs in with NOTED_EMAIL / NOTED_PASSWORD and waits for the client list.
export async function signIn(page) {
  begin("sign in");
  await page.goto(`${BASE}/`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Clients" }).waitFor();
  await noErrorPage(page);
}

/// Runs `scenario(page)` in a fresh headless Chromium profile. `args` are extra Chromium
/// flags, `onPageError(page, error)` sees uncaught page errors, `failure` names the files
/// (`FAILURE.png`, `FAILURE.html`) saved on failure, after which the process exits 1.
export async function runInChromium({ viewport, args = [], acceptDownloads = false, failure, onPageError }, scenario) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "noted-chromium-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads,
    viewport,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...args,
    ],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.setDefaultTimeout(UI_TIMEOUT);
  page.on("pageerror", (e) => onPageError(page, e));
  page.on("console", (m) => {
    if (m.type() === "error") log(`console error on ${page.url()}: ${m.text()}`);
  });
  try {
    await scenario(page);
  } catch (e) {
    console.error(`FAILED at step "${step}": ${e && e.stack ? e.stack : e}`);
    try {
      await page.screenshot({ path: path.join(ARTIFACTS, `${failure}.png`), fullPage: true });
      fs.writeFileSync(path.join(ARTIFACTS, `${failure}.html`), await page.content());
      console.error(`page at failure: ${page.url()} (${failure}.png, ${failure}.html in ${ARTIFACTS})`);
    } catch (_) {}
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(1);
  }
  await ctx.close().catch(() => {}); // a scenario may have killed the browser
  fs.rmSync(profile, { recursive: true, force: true });
}

// ----- Accessibility: axe-core (npm) run in the page ------------------------------------------

const AXE_SOURCE = fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

// Runs axe-core on the page as it is and returns its serious and critical violations (each
// `{id, impact, help, nodes: [selector, ...]}`); the caller checks there are none.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    // evaluated through the debugging protocol: the page's CSP (script-src 'self') stays as it is
    await page.evaluate(AXE_SOURCE);
  }
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}
