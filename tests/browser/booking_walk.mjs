// The booking walk of issue #11 on a phone: open the cabinet's booking link, book a
// cleaning with a key, read the PIN from the confirmation, type it on the (virtual)
// cabinet keypad, and watch the status page move to "Waiting for a cleaner".
//
// Job: {base_url, booking_url, admin_token, cabinet}. Reports what each page showed.
import { PHONE, runWalk } from "./lib.mjs";

const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();
const elide = (url) =>
  url.replace(/\/book\/[^/]+$/, "/book/<cabinet token>").replace(/\/status\/([^/]+)\/[^/]+$/, "/status/$1/<status token>");

await runWalk(
  async (job, { page, shot, newPage }) => {
    const walk = [];
    const inTwoHours = new Date(Date.now() + 2 * 3600 * 1000).toISOString().slice(0, 16);

    // 1. The booking form, as a phone that scanned the QR code sees it.
    const form = await page.goto(job.booking_url, { waitUntil: "load" });
    if (form.status() !== 200) throw new Error(`booking page answered ${form.status()}`);
    await page.locator("#address").waitFor();
    walk.push({
      page: "booking form",
      url: elide(page.url()),
      title: await text(page, "h1"),
      address: await page.locator("#address").inputValue(),
      services: await page.locator("#service_type option").allInnerTexts(),
      supplies: await page.locator(".supply .name").allInnerTexts(),
    });
    await shot("booking-form");

    // 2. Filled in: a cleaning with a key.
    await page.fill("#start", inTwoHours);
    await page.fill("#phone", "+49 170 1234567");
    await page.fill("#message", "The cat stays inside, please close the balcony door.");
    await page.check("#store_key");
    await shot("booking-form-filled");

    // 3. The confirmation: order, cost, the drop-off PIN and its QR, the status link.
    await Promise.all([page.waitForNavigation(), page.click("#submit")]);
    const confirmation = {
      page: "confirmation",
      url: elide(page.url()),
      title: await text(page, "#title"),
      order_id: await text(page, "#order-id"),
      when: await text(page, "#when"),
      cost: await text(page, "#cost"),
      pin: await text(page, "#dropoff-pin"),
      qr_svg: (await page.locator("#dropoff svg").count()) === 1,
      how: await text(page, "#dropoff p:not(.code):not(.hint)"),
      status_link: await page.locator("#status-link").getAttribute("href"),
    };
    if (!/^\d{6}$/.test(confirmation.pin)) throw new Error(`no PIN: ${confirmation.pin}`);
    await shot("confirmation");
    const pin = confirmation.pin;
    walk.push({ ...confirmation, pin: "<6 digits>", status_link: elide(confirmation.status_link) });

    // 4. The status page before the key is in.
    const status = await newPage();
    await status.goto(new URL(confirmation.status_link, job.base_url).href, { waitUntil: "load" });
    walk.push({
      page: "status (before the key)",
      url: elide(status.url()),
      state: await text(status, "#state"),
      hint: await text(status, "#state-hint"),
    });
    await shot("status-waiting-for-key", status);

    // 5. At the cabinet: the PIN and # on the virtual keypad (the demo's board).
    const pressed = await fetch(`${job.base_url}/api/services/doorservice/press_virtual_keypad`, {
      method: "POST",
      headers: { Authorization: `Bearer ${job.admin_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ cabinet: job.cabinet, keys: `${pin}#` }),
    });
    if (!pressed.ok) throw new Error(`keypad: ${pressed.status} ${await pressed.text()}`);
    walk.push({ page: "cabinet keypad", keys: "<PIN>#", answer: pressed.status });

    // 6. The status page follows: the key is in, a cleaner is sought.
    const deadline = Date.now() + 30000;
    let state = "";
    while (Date.now() < deadline) {
      await status.reload({ waitUntil: "load" });
      state = await text(status, "#state");
      if (state === "Waiting for a cleaner") break;
      await status.waitForTimeout(500);
    }
    if (state !== "Waiting for a cleaner") throw new Error(`status stayed at ${state}`);
    walk.push({
      page: "status (key in)",
      url: elide(status.url()),
      state,
      hint: await text(status, "#state-hint"),
      data_state: await status.locator("#state").getAttribute("data-state"),
      history: await status.locator("ol li").allInnerTexts(),
      shows_pin: (await status.content()).includes(pin),
    });
    await shot("status-waiting-for-cleaner", status);

    // 7. The same booking form in Simplified Chinese (Accept-Language).
    const chinese = await newPage();
    // (The context's locale sets the header; a route overrides it for this page.)
    await chinese.route("**/*", (route) =>
      route.continue({
        headers: { ...route.request().headers(), "accept-language": "zh-CN,zh;q=0.9" },
      }),
    );
    await chinese.goto(job.booking_url, { waitUntil: "load" });
    walk.push({ page: "booking form (zh-Hans)", url: elide(chinese.url()), title: await text(chinese, "h1") });
    await shot("booking-form-zh", chinese);

    return { walk, order_id: confirmation.order_id };
  },
  { ...PHONE, locale: "en-US", timezoneId: "UTC" },
);
