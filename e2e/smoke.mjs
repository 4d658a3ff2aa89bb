// Browser smoke test: the demo office account signs in through the real sign-in form and sees its
// home page. Expects a server started with `bangdu serve --demo` at BANGDU_URL.
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
  check(text.includes("我的待办"), "the office home shows its work area");
  check((await page.locator(".menu-item", { hasText: "组织机构" }).count()) === 1, "the menu offers the organisation");
  await page.click(".menu-item >> text=组织机构");
  await page.waitForURL(`${BASE}/units`);
  const firstRow = await page.textContent("table tbody tr");
  check(firstRow.includes("晋江市"), `the office's tree starts at 晋江市, got ${firstRow}`);
  await page.click('button:has-text("退出")');
  await page.waitForURL(/\/login/);
  console.log("browser smoke test passed: office signed in, saw the home page and the unit tree, signed out");
} finally {
  await browser.close();
}
