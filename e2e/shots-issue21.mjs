// Screenshots of the pages issue 21 changed, desktop and 390 px: settings (public-address warning,
// webhook allowance), a user's page with its e-mail, the new-user form, a unit's webhooks refusing
// loopback, and the sign-in form slowing a guesser.
import { launch, signIn, BASE } from "./browser.mjs";

const out = process.env.SHOTS || "/tmp/shots";
const browser = await launch();
for (const [label, width] of [["desktop", 1280], ["phone", 390]]) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signIn(page, "admin");
  await page.goto(`${BASE}/settings`);
  await page.screenshot({ path: `${out}/settings-${label}.png`, fullPage: false });
  await page.goto(`${BASE}/users/new`);
  await page.screenshot({ path: `${out}/user-new-${label}.png`, fullPage: true });
  await page.goto(`${BASE}/users/2`);
  await page.screenshot({ path: `${out}/user-show-${label}.png`, fullPage: true });
  await page.goto(`${BASE}/units/52/webhooks`);
  await page.fill('input[name="url"]', "http://169.254.169.254/latest/meta-data/");
  await page.click('form[action$="/webhooks"] button[type="submit"]');
  await page.waitForLoadState();
  await page.screenshot({ path: `${out}/webhooks-refused-${label}.png`, fullPage: true });
  await context.close();
}
// A guesser: five wrong passwords, then the sixth is asked to wait.
const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
const page = await context.newPage();
for (let i = 0; i < 6; i++) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name="username"]', "leader");
  await page.fill('input[name="password"]', "Wrong-pass1");
  await Promise.all([page.waitForLoadState(), page.click('button[type="submit"]')]);
}
await page.screenshot({ path: `${out}/login-delayed-phone.png` });
await browser.close();
