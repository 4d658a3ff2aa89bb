// Phone layouts: at 390 px no page is wider than the screen and no table pushes a column off it
// (tables marked .stack turn into one card per row). Run against `bangdu serve --demo` at BANGDU_URL.
import { BASE, launch, signIn } from "./browser.mjs";

const pages = {
  admin: ["/", "/units", "/users", "/audit", "/settings", "/calendar", "/appeals/categories", "/appeals/categories/1", "/appeals/keys"],
  office: ["/", "/projects", "/projects/147", "/projects/stats", "/projects/freezes", "/items", "/items/32", "/lists", "/inbox",
    "/pool", "/inspections", "/inspections/1", "/rounds/1", "/rounds/1/report", "/inspections/figures?detail=seats",
    "/appeals", "/appeals/import", "/appeals/satisfaction", "/appeals?sent_on=true", "/appeals/meetings", "/appeals/meetings/1",
    "/appeals/meetings/new"],
  inspector: ["/visits"],
  unit: ["/", "/items", "/projects/129", "/appeals"],
  public: ["/public/projects?year=2023&kind=%E6%B0%91%E7%94%9F%E5%BE%AE%E5%AE%9E%E4%BA%8B", "/public/projects/147", "/public/appeals/new"],
};

const browser = await launch();
const problems = [];
try {
  for (const [user, paths] of Object.entries(pages)) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    if (user !== "public") await signIn(page, user);
    for (const path of paths) {
      const response = await page.goto(`${BASE}${path}`);
      if (!response || response.status() !== 200) problems.push(`${user} ${path}: status ${response && response.status()}`);
      const found = await page.evaluate(() => {
        const wide = document.documentElement.scrollWidth;
        const tables = [...document.querySelectorAll("table")]
          .filter((t) => t.offsetParent !== null && t.scrollWidth > t.parentElement.clientWidth + 1)
          .map((t) => `${[...t.querySelectorAll("th")].map((th) => th.textContent.trim()).join("|")} (${t.scrollWidth} px)`);
        return { wide, tables };
      });
      if (found.wide > 390) problems.push(`${user} ${path}: the page is ${found.wide} px wide`);
      for (const t of found.tables) problems.push(`${user} ${path}: table ${t} overflows`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`phone layouts: ${Object.values(pages).flat().length} pages fit 390 px`);
