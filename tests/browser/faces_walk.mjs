// The faces walk (issue #14): towels from a room's wall tablet to a worker's phone
// and back, then the manager board. Three logged-in browsers on one real hass:
// the room terminal on a tablet viewport, Mei on a phone viewport (touch swipes
// through the Chrome DevTools protocol), the manager on a desktop viewport.
// Each step saves a screenshot and reports what the face showed (its text).
import { join } from "node:path";
import { PHONE, launch, loginAs, readJob, report } from "./lib.mjs";

const job = readJob();
const TIMEOUT = 30000;
const steps = [];

// The visible text of a card (its shadow root), whitespace folded.
async function cardText(page, tag) {
  return page.evaluate((name) => {
    const find = (root) => {
      const hit = root.querySelector(name);
      if (hit) return hit;
      for (const el of root.querySelectorAll("*")) {
        if (el.shadowRoot) {
          const inner = find(el.shadowRoot);
          if (inner) return inner;
        }
      }
      return null;
    };
    const card = find(document);
    if (!card || !card.shadowRoot) return "";
    const root = card.shadowRoot.querySelector("ha-card") ?? card.shadowRoot;
    return (root.innerText ?? root.textContent ?? "").replace(/\s+/g, " ").trim();
  }, tag);
}

async function waitForText(page, tag, predicate, what) {
  const deadline = Date.now() + TIMEOUT;
  let text = "";
  while (Date.now() < deadline) {
    text = await cardText(page, tag);
    if (predicate(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`${tag} never showed ${what}; it showed: ${text}`);
}

async function step(name, _browser, page, tag, showed) {
  const file = await shoot(name, page);
  const text = await cardText(page, tag);
  steps.push({ step: name, screenshot: file, face: tag, showed, text });
}

// A horizontal swipe with real touch events (touchstart/move/end) on an element.
async function swipe(page, locator, dx) {
  const box = await locator.boundingBox();
  const y = box.y + Math.min(box.height / 2, 150);
  const x0 = box.x + box.width / 2 - dx / 2;
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, x) =>
    cdp.send("Input.dispatchTouchEvent", {
      type,
      touchPoints: type === "touchEnd" ? [] : [{ x, y }],
    });
  await touch("touchStart", x0);
  for (let i = 1; i <= 5; i++) await touch("touchMove", x0 + (dx * i) / 5);
  await touch("touchEnd", x0 + dx);
  await cdp.detach();
}

const room = await launch(job.output_dir, { viewport: { width: 1280, height: 800 } });
const staff = await launch(job.output_dir, { ...PHONE });
const manager = await launch(job.output_dir, { viewport: { width: 1440, height: 1000 } });
// One numbering for the three browsers' screenshots: NN-<step>.png.
let counter = 0;
const shots = [];
async function shoot(name, page) {
  counter += 1;
  const file = join(job.output_dir, `${String(counter).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
  return file;
}
const ROOM = "doorservice-room-card";
const STAFF = "doorservice-staff-card";
const BOARD = "doorservice-manager-card";

try {
  // 1. The room terminal (tablet), logged in as the room's terminal user.
  await loginAs(room.page, job.tokens.room);
  await room.page.goto(`${job.base_url}/lovelace/${job.views.room}`, { waitUntil: "networkidle" });
  await waitForText(room.page, ROOM, (t) => t.includes("Fresh towels"), "the catalog");
  await step("room-terminal", room, room.page, ROOM, "the room's catalog with prices, no requests yet");

  await room.page.locator(`${ROOM} button[data-service="towels"]`).click();
  await waitForText(room.page, ROOM, (t) => t.includes("Send request"), "the confirmation");
  await step("room-confirm-towels", room, room.page, ROOM, "towels with their price before confirming");
  await room.page.locator(`${ROOM} button[data-action="confirm"]`).click();
  await waitForText(room.page, ROOM, (t) => t.includes("Request sent"), "request sent");
  await step("room-request-sent", room, room.page, ROOM, '"Request sent" and the request finding staff');

  // 1b. The manager board: the open request with its state and SLA.
  await loginAs(manager.page, job.tokens.manager);
  await manager.page.goto(`${job.base_url}/lovelace/${job.views.manager}`, { waitUntil: "networkidle" });
  await waitForText(manager.page, BOARD, (t) => t.includes("Fresh towels") && t.includes("due"), "the open order");
  await step("manager-open-order", manager, manager.page, BOARD, "the open towels order, offered, with its SLA due time");

  // 2. Mei's phone: starts on the first category, swipes to linen, accepts.
  await loginAs(staff.page, job.tokens.staff);
  await staff.page.goto(`${job.base_url}/lovelace/${job.views.staff}`, { waitUntil: "networkidle" });
  await waitForText(staff.page, STAFF, (t) => t.includes("Mei"), "the worker");
  const area = staff.page.locator(`${STAFF} .swipe-area`);
  const first = await area.getAttribute("data-current-category");
  await step("staff-phone", staff, staff.page, STAFF, `the first category (${first})`);
  let category = first;
  for (let i = 0; i < 6 && category !== "linen"; i++) {
    await swipe(staff.page, area, -240); // swipe left: the next category
    await staff.page.waitForTimeout(300);
    category = await area.getAttribute("data-current-category");
  }
  if (category !== "linen") throw new Error(`swiping never reached linen (at ${category})`);
  await waitForText(staff.page, STAFF, (t) => t.includes("Fresh towels") && t.includes("Accept"), "the offer");
  await step("staff-swiped-to-linen", staff, staff.page, STAFF, "the linen category with the towels offer");
  await staff.page.locator(`${STAFF} button[data-action="accept_order"]`).click();
  await waitForText(staff.page, STAFF, (t) => t.includes("Start"), "the accepted order");
  await step("staff-accepted", staff, staff.page, STAFF, "the order accepted, with its details");

  // 3. The room shows the worker on the way.
  await waitForText(room.page, ROOM, (t) => t.includes("On the way") && t.includes("Mei"), '"On the way" with Mei');
  await step("room-on-the-way", room, room.page, ROOM, '"On the way" with the worker\'s name and time');

  // 4. Mei starts and finishes.
  await staff.page.locator(`${STAFF} button[data-action="start_order"]`).click();
  await waitForText(staff.page, STAFF, (t) => t.includes("Working"), "the started order");
  await step("staff-started", staff, staff.page, STAFF, "the order in progress");
  await staff.page.locator(`${STAFF} button[data-action="complete_order"]`).click();
  await waitForText(staff.page, STAFF, (t) => t.includes("Nothing in"), "an empty category");
  await step("staff-done", staff, staff.page, STAFF, "nothing left in linen");

  // 5. The room shows it done.
  await waitForText(room.page, ROOM, (t) => /Done/.test(t) && t.includes("done at"), "done");
  await step("room-done", room, room.page, ROOM, "the towels done, by Mei, with the time");

  // 5b. The guest switches the tablet to the left hand: the buttons move left.
  await room.page.locator(`${ROOM} button[data-hand="left"]`).click();
  await room.page.locator(`${ROOM} .columns.left`).waitFor({ timeout: TIMEOUT });
  await step("room-left-handed", room, room.page, ROOM, "the left-hand layout (request buttons on the left)");

  // 5c. The same tablet in Chinese (the user's language).
  const zh = await launch(job.output_dir, { viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
  try {
    await zh.page.addInitScript(() => window.localStorage.setItem("selectedLanguage", JSON.stringify("zh-Hans")));
    await loginAs(zh.page, job.tokens.room);
    await zh.page.goto(`${job.base_url}/lovelace/${job.views.room}`, { waitUntil: "networkidle" });
    await waitForText(zh.page, ROOM, (t) => t.includes("我的请求") && t.includes("干净毛巾"), "Chinese texts");
    await step("room-chinese", zh, zh.page, ROOM, "the room terminal in Chinese");
  } finally {
    await zh.close();
  }

  // 6. The manager board (live since step 1b) shows the response time.
  const board = await waitForText(
    manager.page,
    BOARD,
    (t) => /Mei \S+ 1 \d+ (s|min)/.test(t),
    "Mei's response time",
  );
  await step("manager-board", manager, manager.page, BOARD, "response times per worker (Mei: 1 accepted)");

  // 7. A card editor (the staff card's), as the dashboard editor shows it.
  const editor = await manager.page.evaluate(async () => {
    const hass = document.querySelector("home-assistant").hass;
    const card = customElements.get("doorservice-staff-card");
    const element = card.getConfigElement();
    element.hass = hass;
    element.setConfig({ type: "custom:doorservice-staff-card", worker: "Mei", swipe: { left: "next", up: "linen" } });
    const box = document.createElement("div");
    box.id = "editor-box";
    box.style.cssText = "position:fixed;inset:60px 20px auto auto;width:480px;background:var(--card-background-color,#fff);padding:16px;z-index:10;box-shadow:0 2px 12px rgba(0,0,0,.3)";
    box.appendChild(element);
    document.body.appendChild(box);
    const changed = new Promise((resolve) => element.addEventListener("config-changed", (ev) => resolve(ev.detail.config)));
    for (let i = 0; i < 50 && !element.shadowRoot?.querySelector("ha-form")?.shadowRoot?.childElementCount; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const form = element.shadowRoot.querySelector("ha-form");
    form.dispatchEvent(new CustomEvent("value-changed", { detail: { value: { ...form.data, swipe_right: "cleaning" } } }));
    return { config: await changed, fields: form.schema.map((f) => f.name) };
  });
  await manager.page.waitForTimeout(500);
  steps.push({
    step: "staff-card-editor",
    screenshot: await shoot("staff-card-editor", manager.page),
    face: "doorservice-staff-card-editor",
    showed: "the staff card's editor (site, worker, language, swipe map)",
    text: JSON.stringify(editor),
  });
  report({ steps, board, screenshots: shots });
} catch (error) {
  for (const [name, browser] of [["room", room], ["staff", staff], ["manager", manager]]) {
    try {
      await shoot(`error-${name}`, browser.page);
    } catch {
      // the page may be gone
    }
  }
  process.stderr.write(`${error.stack || error}\n`);
  process.stderr.write(`${JSON.stringify(steps, null, 1)}\n`);
  process.exitCode = 1;
} finally {
  await Promise.all([room.close(), staff.close(), manager.close()]);
}
