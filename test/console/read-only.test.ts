import type { Page } from "playwright-core";
import { type ConsoleBrowser, openConsole, openView, pageStorage, signIn } from "../helpers/browser";
import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { serviceSuite } from "../helpers/suite";

jest.setTimeout(120_000);

const suite = serviceSuite();
let ui: ConsoleBrowser;
let tokens: { member: string; read: string; read_write: string; full_access: string };

beforeAll(async () => {
  const admin = suite.org.admin;
  const shop = await admin.deployments.create({ name: "shop" });
  await admin.deployments.create({ name: "other" });
  await admin.globalApiKeys.create({ name: "everything", allowAllDeployments: true });
  await admin.globalApiKeys.create({ name: "shop-only", deploymentIds: [shop.id], isActive: false });
  await admin.llmKeys.create({ provider: "openai", label: "Production", apiKey: suite.ledger.add(`sk-test-${"x".repeat(24)}`) });
  tokens = {
    member: await suite.org.memberToken("member"),
    read: (await admin.platformApiKeys.create({ name: "auto-read", permission: "read" })).key,
    read_write: (await admin.platformApiKeys.create({ name: "auto-rw", permission: "read_write" })).key,
    full_access: (await admin.platformApiKeys.create({ name: "auto-full", permission: "full_access" })).key,
  };
  ui = await openConsole(suite.svc.url, "read-only");
});
afterAll(async () => {
  await ui?.close();
});

/** The names of every button and tab the page offers, but the ones that only read. */
async function writeControls(page: Page): Promise<string[]> {
  const names = await page.locator("main button, main input, main select").evaluateAll((els) =>
    els.map((e) => e.getAttribute("aria-label") ?? e.getAttribute("id") ?? e.textContent ?? "").map((s) => s.trim()),
  );
  return names.filter((n) => !/^(Refresh|Load more|Keys of .*)$/.test(n));
}

async function signInAs(token: string): Promise<Page> {
  const { page } = ui;
  if (await page.getByRole("button", { name: "Sign out" }).isVisible().catch(() => false)) await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, suite.svc.url, suite.org.slug, token);
  return page;
}

async function tabs(page: Page): Promise<string[]> {
  return page.getByRole("navigation", { name: "Views" }).getByRole("link").allTextContents();
}

describe("signing in", () => {
  it("says next to the field what is wrong with the org or the token", async () => {
    const { page } = ui;
    await page.goto(`${suite.svc.url}/console/`);
    await page.getByLabel("Org").fill("Not A Slug");
    await page.getByLabel("Token").fill(tokens.member);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#org-error").filter({ hasText: "lowercase letters" }).waitFor();
    await page.getByLabel("Org").fill(suite.org.slug);
    await page.getByLabel("Token").fill(`ks_usr_${"x".repeat(43)}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#token-error").filter({ hasText: "does not accept this token" }).waitFor();
    await ui.screenshot("sign-in-refused");
    expect(JSON.stringify(await pageStorage(page))).toBe(JSON.stringify({ session: "{}", local: "{}", cookies: "" }));
  });
});

describe.each(["member", "read"] as const)("the console, signed in with a %s token", (who) => {
  it("shows every view read-only and offers no write", async () => {
    const page = await signInAs(tokens[who]);
    await page.getByTestId("who").filter({ hasText: who === "member" ? "member" : "read platform key" }).waitFor();
    expect(await tabs(page)).toEqual(["Deployments", "Global API keys", "Platform API keys", "LLM keys"]);

    await page.locator("tr[data-row=shop]").waitFor();
    await page.getByRole("button", { name: "Keys of shop" }).click();
    await page.getByRole("heading", { name: "Keys of “shop”" }).waitFor();
    expect(await writeControls(page)).toEqual([]);
    await ui.screenshot(`${who}-deployments`);

    await openView(page, "Global API keys");
    await page.locator("tr[data-row=everything]").waitFor();
    expect(await writeControls(page)).toEqual([]);
    await ui.screenshot(`${who}-global-keys`);

    await openView(page, "Platform API keys");
    await page.locator("tr[data-row=auto-full]").waitFor();
    expect(await writeControls(page)).toEqual([]);

    await openView(page, "LLM keys");
    await page.locator("tr[data-row=openai]").waitFor();
    expect(await writeControls(page)).toEqual([]);
    await ui.screenshot(`${who}-llm-keys`);
  });

  it("is refused by the API all the same", async () => {
    await expectApiError(suite.org.client(tokens[who]).deployments.create({ name: `by-${who}` }), 403, "forbidden");
    await expectApiError(suite.org.client(tokens[who]).auditEvents.list(), 403, "forbidden");
  });
});

describe("the console, signed in as a read_write key", () => {
  it("offers what a read_write key may do: create and narrow, never mint, delete, widen or full_access", async () => {
    const page = await signInAs(tokens.read_write);
    await page.getByTestId("who").filter({ hasText: "read_write platform key" }).waitFor();
    expect(await tabs(page)).not.toContain("Audit events");

    await page.locator("tr[data-row=shop]").waitFor();
    await page.getByRole("button", { name: "Keys of shop" }).click();
    await page.getByRole("heading", { name: "Keys of “shop”" }).waitFor();
    expect(await writeControls(page)).toEqual(["deployment-name", "Create deployment", "Deactivate shop", "Deactivate other"]);

    await openView(page, "Global API keys");
    await page.locator("tr[data-row=everything]").waitFor();
    // No new key, rotation or delete; the inactive key cannot be re-activated.
    expect(await writeControls(page)).toEqual(["Edit everything", "Deactivate everything", "Edit shop-only"]);
    await page.getByRole("button", { name: "Edit shop-only" }).click();
    const form = page.getByRole("form", { name: "Edit shop-only" });
    await expect(form.getByRole("checkbox", { name: "shop" }).isEnabled()).resolves.toBe(true);
    await expect(form.getByRole("checkbox", { name: "other" }).isDisabled()).resolves.toBe(true);
    await expect(form.getByRole("radio", { name: "All deployments of the org" }).isDisabled()).resolves.toBe(true);
    await expect(form.getByRole("checkbox", { name: "Active" }).isDisabled()).resolves.toBe(true);
    await ui.screenshot("read_write-global-key-edit");
    await form.getByRole("button", { name: "Cancel" }).click();

    await openView(page, "Platform API keys");
    await page.locator("tr[data-row=auto-full]").waitFor();
    expect(await writeControls(page)).toEqual(["Edit auto-read", "Deactivate auto-read", "Edit auto-rw", "Deactivate auto-rw"]);
    await page.getByRole("button", { name: "Edit auto-rw" }).click();
    const tiers = await page.getByRole("form", { name: "Edit auto-rw" }).getByLabel("Tier").locator("option").evaluateAll((os) => os.map((o) => o.getAttribute("value")));
    expect(tiers).toEqual(["read", "read_write"]);
    await ui.screenshot("read_write-platform-key-edit");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Edit auto-read" }).click();
    const lower = await page.getByRole("form", { name: "Edit auto-read" }).getByLabel("Tier").locator("option").evaluateAll((os) => os.map((o) => o.getAttribute("value")));
    expect(lower).toEqual(["read"]);
    await page.getByRole("button", { name: "Cancel" }).click();

    await openView(page, "LLM keys");
    await page.locator("tr[data-row=openai]").waitFor();
    expect(await writeControls(page)).toEqual([]);
  });

  it("is refused full_access by the API all the same", async () => {
    const self = (await suite.org.admin.platformApiKeys.list()).items.find((k) => k.name === "auto-rw")!;
    await expectApiError(suite.org.client(tokens.read_write).platformApiKeys.update(self.id, { permission: "full_access" }), 403, "forbidden");
  });
});

describe("the console, signed in as a full_access key", () => {
  it("offers every tier up to its own when creating a platform key", async () => {
    const page = await signInAs(tokens.full_access);
    expect(await tabs(page)).toContain("Audit events");
    await openView(page, "Platform API keys");
    await page.getByRole("button", { name: "New platform API key" }).click();
    const tiers = await page.getByRole("form", { name: "New platform API key" }).getByLabel("Tier").locator("option").evaluateAll((os) => os.map((o) => o.getAttribute("value")));
    expect(tiers).toEqual(["read", "read_write", "full_access"]);
    expect(ui.cspViolations).toEqual([]);
  });

  it("leaves no secret in the service's logs or database", async () => {
    for (const token of Object.values(tokens)) suite.ledger.add(token);
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
