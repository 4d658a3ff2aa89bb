// Screenshots of every page at desktop and phone width, for looking at the UI as an official would.
// Usage: node screenshots.mjs [outdir]   (server: `bangdu serve --demo` at BANGDU_URL)
import { mkdirSync } from "node:fs";
import { BASE, launch, signIn } from "./browser.mjs";

const out = process.argv[2] || "screenshots";
mkdirSync(out, { recursive: true });
const sizes = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
const pages = {
  admin: ["/", "/units", "/units/12", "/units/new", "/units/12/edit", "/units/import", "/users", "/users/1", "/users/new", "/calendar?year=2025&from=2025-09-30&days=5", "/audit", "/audit/verify", "/settings", "/account", "/nope"],
  office: ["/", "/units", "/projects", "/projects/new", "/projects/freezes", "/projects/import", "/items", "/items?overdue=true&sort=deadline", "/items/new", "/items/32", "/items/15", "/items/board", "/lists", "/inbox", "/units/52/webhooks"],
  unit: ["/", "/items", "/items/57", "/items/31", "/inbox", "/users", "/projects/new"],
  leader: ["/", "/items/board"],
};

const browser = await launch();
try {
  for (const [size, viewport] of Object.entries(sizes)) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const anonymous = await context.newPage();
    await anonymous.goto(`${BASE}/login`);
    await anonymous.screenshot({ path: `${out}/${size}-login.png`, fullPage: true });
    await anonymous.close();
    for (const [user, paths] of Object.entries(pages)) {
      const userContext = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await userContext.newPage();
      await signIn(page, user);
      for (const path of paths) {
        await page.goto(`${BASE}${path}`);
        const name = path.replace(/[/?=&]+/g, "_").replace(/^_|_$/g, "") || "home";
        await page.screenshot({ path: `${out}/${size}-${user}-${name}.png`, fullPage: true });
      }
      await userContext.close();
    }
    await context.close();
  }
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
}
