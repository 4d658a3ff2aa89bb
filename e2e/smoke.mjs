// Browser smoke test on the demo data: the office signs in through the real sign-in form, sees its
// home page and the unit tree; the unit signs for a newly assigned item and the office writes off
// one whose write-off was requested — through the real forms, including the confirmation dialog.
// Expects a fresh server started with `bangdu serve --demo` at BANGDU_URL (it changes two items).
import { BASE, launch, signIn } from "./browser.mjs";

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const browser = await launch();
try {
  const page = await browser.newPage();
  const response = await page.goto(`${BASE}/`);
  check(page.url().startsWith(`${BASE}/login`), `an anonymous visitor should land on the sign-in page, got ${page.url()}`);
  check(response.ok(), `sign-in page answered ${response.status()}`);
  await signIn(page, "office");
  const text = await page.textContent("body");
  check(text.includes("您好，陈督查"), "the home page greets the office user");
  check(text.includes("晋江市") && text.includes("督查室"), "the top bar shows the user's unit and role");
  check(text.includes("待我处理") && text.includes("梯级督查"), "the office home shows what waits for it and the ladder");
  check((await page.locator(".menu-item", { hasText: "组织机构" }).count()) === 1, "the menu offers the organisation");
  await page.click(".menu-item >> text=组织机构");
  await page.waitForURL(`${BASE}/units`);
  const firstRow = await page.textContent("table tbody tr");
  check(firstRow.includes("晋江市"), `the office's tree starts at 晋江市, got ${firstRow}`);

  // The office writes off the first item waiting for review, from its home page.
  await page.goto(`${BASE}/`);
  const review = page.locator(".dash-list li", { has: page.locator(".tag.need", { hasText: "审核销号" }) }).first();
  const title = (await review.locator(".dash-title > a").textContent()).trim();
  await Promise.all([page.waitForURL(/\/items\/\d+$/), review.locator(".dash-title > a").click()]);
  // 销号 takes the office's 审核意见, a tick that the result was verified, and a confirmation.
  const form = page.locator("form.action-form", { has: page.locator('input[name="action"][value="approve_close"]') });
  await form.locator('textarea[name="opinion"]').fill("现场核实，整改到位");
  await form.locator('input[name="confirm"]').check();
  page.once("dialog", (dialog) => dialog.accept());
  await Promise.all([page.waitForURL(/done=approve_close/), form.locator('button[type="submit"]').click()]);
  const done = await page.textContent("body");
  check(done.includes("已销号，审核意见已记入全记录") && done.includes(title), `the item “${title}” is written off`);
  check(done.includes("审核意见：现场核实，整改到位"), "the record keeps the 审核意见");
  // Cancelling asks first; dismissing the dialog changes nothing.
  await page.goto(`${BASE}/items?state=registered`);
  await page.locator(".items-table tbody tr a").first().click();
  const before = await page.textContent(".card-header .toolbar");
  page.once("dialog", (dialog) => dialog.dismiss());
  await page.locator("form.action-form", { has: page.locator('input[name="action"][value="cancel"]') }).locator("textarea").fill("测试撤销");
  await page.locator("form.action-form", { has: page.locator('input[name="action"][value="cancel"]') }).locator("button").click();
  await page.waitForTimeout(300);
  check((await page.textContent(".card-header .toolbar")) === before && !page.url().includes("done="), "a dismissed confirmation cancels nothing");
  await page.click('button:has-text("退出")');
  await page.waitForURL(/\/login/);

  // The unit signs for an item assigned to it.
  await signIn(page, "unit");
  const sign = page.locator(".dash-list li", { has: page.locator(".tag.need", { hasText: "签收" }) }).first();
  await Promise.all([page.waitForURL(/\/items\/\d+$/), sign.locator(".dash-title > a").click()]);
  const accept = page.locator("form.action-form", { has: page.locator('input[name="action"][value="accept"]') });
  check((await page.locator('input[name="action"][value="assign"]').count()) === 0, "the unit has no assign form");
  await Promise.all([page.waitForURL(/done=accept/), accept.locator("button").click()]);
  check((await page.textContent("body")).includes("已签收"), "the page says it was signed for");
  check((await page.textContent(".card-header .toolbar")).includes("办理中"), "signed for: in progress");
  await page.click('button:has-text("退出")');
  await page.waitForURL(/\/login/);
  console.log("browser smoke test passed: office home, unit tree, a write-off and a sign-for through the real forms");
} finally {
  await browser.close();
}
