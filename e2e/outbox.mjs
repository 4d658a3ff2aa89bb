// A finding typed on site with no connection: kept on the phone, sent once the connection is back,
// and stored once. Run against `bangdu serve --demo` at BANGDU_URL (it adds one finding).
import { BASE, launch, signIn } from "./browser.mjs";

const browser = await launch();
const text = `离线记录的问题 ${Date.now()}`;
let failed = "";
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, "inspector");
  await page.goto(`${BASE}/visits`);
  const form = page.locator("form[data-outbox]").first();
  if ((await form.count()) === 0) throw new Error("the demo inspector has no target on /visits");
  await context.setOffline(true);
  await form.locator('textarea[name="description"]').fill(text);
  await form.locator('button[type="submit"]').click();
  const status = page.locator("[data-outbox-status]");
  await status.filter({ hasText: "保存在手机上" }).waitFor({ timeout: 10000 });
  // Still offline: reloading is impossible, but the outbox keeps it (IndexedDB) for later.
  const kept = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const req = indexedDB.open("bangdu-outbox", 1);
        req.onsuccess = () => {
          const all = req.result.transaction("findings").objectStore("findings").getAll();
          all.onsuccess = () => resolve(all.result.length);
        };
      }),
  );
  if (kept !== 1) throw new Error(`expected 1 finding kept on the phone, found ${kept}`);
  await context.setOffline(false);
  await page.waitForURL(/\/visits\?done=finding/, { timeout: 15000 });
  const html = await page.content();
  const times = html.split(text).length - 1;
  if (times !== 1) throw new Error(`the finding shows ${times} times after sending, not once`);
  // Opened again, nothing is left to send and nothing is sent twice.
  await page.goto(`${BASE}/visits`);
  await page.waitForTimeout(1000);
  const again = (await page.content()).split(text).length - 1;
  if (again !== 1) throw new Error(`after reopening the finding shows ${again} times`);
  console.log("outbox: a finding typed offline was kept on the phone and sent once when back online");
} catch (e) {
  failed = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
if (failed) {
  console.error(failed);
  process.exit(1);
}
