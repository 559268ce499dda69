// Drives the admin page in headless Chromium for AdminPageBrowserIT: opens the URL given as the
// first argument, then takes one JSON command per stdin line and answers one line on stdout
// ("ok" or "error: ..."), so the Java test decides what happens between the steps.
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";

const [url, executablePath] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
page.on("console", (message) => console.error("page console: " + message.text()));
page.on("pageerror", (error) => console.error("page error: " + error.message));
await page.goto(url);
console.log("ready");

const commands = {
  // Waits (Playwright's own polling, no sleeps) for an element matching selector with the text.
  waitFor: ({ selector, text, timeout }) =>
    page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout }),
  click: ({ selector, timeout }) => page.locator(selector).first().click({ timeout }),
  screenshot: ({ path }) => page.screenshot({ path, fullPage: true }),
  text: async ({ selector, timeout }) => page.locator(selector).first().innerText({ timeout }),
};

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  if (command.op === "close") break;
  try {
    const result = await commands[command.op](command);
    console.log(typeof result === "string" ? "ok " + JSON.stringify(result) : "ok");
  } catch (error) {
    console.log("error: " + String(error.message).split("\n")[0]);
  }
}
await browser.close();
