// Shared by the browser scripts: Debian's Chromium, headless, with the flags this kind of machine
// needs (no sandbox as root, no background network traffic on a closed network).
import { chromium } from "playwright-core";

export const BASE = process.env.BANGDU_URL || "http://127.0.0.1:8080";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}

export async function signIn(page, username, password = "Bangdu@2025") {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('button[type="submit"]')]);
}
