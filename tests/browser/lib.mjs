// Shared Node side of the browser tests: launch Debian's chromium through
// playwright-core with the project's flags, save numbered screenshots into the
// output folder the Python test passes in, and report a JSON result back.
//
// A walk script is run by tests/browser/harness.py as `node <walk.mjs> <job.json>`.
// The job file holds {"output_dir": ..., "base_url": ..., ...whatever the test adds}.
// The walk prints its result with `report({...})`; the last stdout line is parsed by
// Python. Anything thrown fails the walk (exit code 1, error on stderr), after a
// screenshot of the page it was on ("error.png").
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, devices } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Every flag the walks run chromium with (a fresh --user-data-dir is added by
// launch(): playwright takes it as the persistent context's directory).
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// A phone-sized viewport (Pixel 7 as playwright describes it) for mobile pages.
export const PHONE = devices["Pixel 7"];

export function readJob() {
  const path = process.argv[2];
  if (!path) throw new Error("usage: node <walk.mjs> <job.json>");
  const job = JSON.parse(readFileSync(path, "utf8"));
  if (!job.output_dir) throw new Error("the job has no output_dir");
  mkdirSync(job.output_dir, { recursive: true });
  return job;
}

export function report(result) {
  process.stdout.write("\n" + JSON.stringify(result) + "\n");
}

// Launch chromium with a fresh profile. `options` go to the browser context
// (viewport, locale, userAgent, isMobile, hasTouch, extraHTTPHeaders, ...).
// Returns {context, page, shot(name), newPage(), close()}; shot() saves
// "<NN>-<name>.png" (full page) into outputDir and returns its path.
export async function launch(outputDir, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "doorservice-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  let counter = 0;
  const shots = [];
  const page = context.pages()[0] ?? (await context.newPage());
  // Page console output and errors go to stderr (kept in walk.log by harness.py).
  const watch = (target) => {
    target.on("console", (msg) => process.stderr.write(`[console.${msg.type()}] ${msg.text()}\n`));
    target.on("pageerror", (err) => process.stderr.write(`[pageerror] ${err}\n`));
  };
  context.on("page", watch);
  watch(page);
  const shot = async (name, target = page) => {
    counter += 1;
    const file = join(outputDir, `${String(counter).padStart(2, "0")}-${name}.png`);
    await target.screenshot({ path: file, fullPage: true });
    shots.push(file);
    return file;
  };
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, shot, shots, newPage: () => context.newPage(), close };
}

// Run `walk(job, browser)` with a launched browser; report its result (plus the
// screenshot paths) or take an error screenshot and exit 1.
export async function runWalk(walk, options = {}) {
  const job = readJob();
  const browser = await launch(job.output_dir, options);
  try {
    const result = await walk(job, browser);
    report({ ...result, screenshots: browser.shots });
  } catch (error) {
    try {
      await browser.shot("error");
    } catch {
      // the page may be gone already
    }
    process.stderr.write(`${error.stack || error}\n`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

// Log the page in as a Home Assistant user before any of its scripts run:
// `tokens` is HassProcess.frontend_tokens(user) from harness.py.
export async function loginAs(page, tokens) {
  await page.addInitScript((value) => {
    window.localStorage.setItem("hassTokens", JSON.stringify(value));
  }, tokens);
}
