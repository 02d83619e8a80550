import fs from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "./service";

/** Debian's Chromium: no browser is downloaded (`.ci/run` installs the package when it is missing). */
export const CHROMIUM = process.env.KEYSERVICE_TEST_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

/** Screenshots of each view, for a person to look at (git-ignored). */
export const SCREENSHOTS = path.join(REPO_ROOT, ".work", "screenshots");

/** A headless Chromium on one page of the console, with the clipboard granted and every CSP complaint kept. */
export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** What the page printed about its Content-Security-Policy (must stay empty). */
  cspViolations: string[];
  /** Every URL the page navigated to (a token must never be in one). */
  urls: string[];
  /** Saves `.work/screenshots/<suite>-<name>.png`. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openConsole(baseUrl: string, suite: string): Promise<ConsoleBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), as .ci/run does.`);
  // launch() makes a fresh --user-data-dir of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US", timezoneId: "UTC" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(baseUrl).origin });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const cspViolations: string[] = [];
  const urls: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on("pageerror", (e) => cspViolations.push(`page error: ${e.message}`));
  page.on("framenavigated", (f) => urls.push(f.url()));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    context,
    page,
    cspViolations,
    urls,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${suite}-${name}.png`), fullPage: true });
    },
    close: () => browser.close(),
  };
}

/** Signs in through the sign-in form and waits for the first view. */
export async function signIn(page: Page, baseUrl: string, org: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel("Org").fill(org);
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Deployments", level: 1 }).waitFor();
}

/** What the page keeps in its storages and cookies, as text (a secret must be in none of them). */
export function pageStorage(page: Page): Promise<{ session: string; local: string; cookies: string }> {
  return page.evaluate("({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage), cookies: document.cookie })");
}

/** Opens a view from the tabs. */
export async function openView(page: Page, title: string): Promise<void> {
  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: title }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
}

/** The clipboard's text, read in the page as a person's paste would. */
export function readClipboard(page: Page): Promise<string> {
  return page.evaluate<string>("navigator.clipboard.readText()");
}
