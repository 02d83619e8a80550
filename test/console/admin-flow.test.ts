import { type ConsoleBrowser, openConsole, openView, pageStorage, readClipboard, signIn } from "../helpers/browser";
import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { serviceSuite } from "../helpers/suite";
import { waitUntilPast } from "../helpers/wait";

jest.setTimeout(120_000);

const suite = serviceSuite();
let ui: ConsoleBrowser;

beforeAll(async () => {
  ui = await openConsole(suite.svc.url, "admin");
});
afterAll(async () => {
  await ui?.close();
});

/** Copies the secret the open dialog shows, checks the clipboard holds exactly it, closes the dialog, and returns it. */
async function copyAndClose(screenshot?: string): Promise<string> {
  const { page } = ui;
  const dialog = page.getByRole("dialog", { name: "Copy the new secret now" });
  const shown = (await dialog.getByTestId("secret").textContent()) ?? "";
  await dialog.getByRole("button", { name: "Copy secret" }).click();
  await dialog.getByText(/Copied the full secret \(ending in .{4}\) to the clipboard\./).waitFor();
  const copied = suite.ledger.add(await readClipboard(page));
  expect(copied).toBe(shown);
  if (screenshot) await ui.screenshot(screenshot);
  await dialog.getByRole("button", { name: /close/ }).click();
  await dialog.waitFor({ state: "detached" });
  // Gone from the page, and from every store the page has.
  expect(await page.content()).not.toContain(copied);
  expect(JSON.stringify(await pageStorage(page))).not.toContain(copied);
  return copied;
}

describe("the console, signed in as an org admin", () => {
  it("creates a deployment and a global key scoped to it, copies the real secret, rotates with grace, deactivates once on a double click, and audits each step", async () => {
    const { page } = ui;
    const org = suite.org;
    await signIn(page, suite.svc.url, org.slug, org.adminToken);
    await page.getByTestId("who").filter({ hasText: "org admin" }).waitFor();

    // A deployment.
    await page.getByLabel("New deployment").fill("billing");
    await page.getByRole("button", { name: "Create deployment" }).click();
    await page.locator("tr[data-row=billing]").getByText("active").waitFor();
    await ui.screenshot("deployments");
    const billing = (await org.admin.deployments.findByName("billing"))!;
    expect(billing.isActive).toBe(true);

    // A global key scoped to it: the copied value is the secret itself, and it opens the deployment.
    await openView(page, "Global API keys");
    await page.getByRole("button", { name: "New global API key" }).click();
    await page.getByLabel("Name").fill("ci");
    await page.getByLabel("Chosen deployments").check();
    await page.getByRole("checkbox", { name: "billing" }).check();
    await ui.screenshot("global-key-form");
    await page.getByRole("button", { name: "Create key" }).click();
    const first = await copyAndClose("copy-once-dialog");
    expect(first).toMatch(/^ks_gak_/);
    const [created] = (await org.admin.globalApiKeys.list()).items;
    expect(created).toMatchObject({ name: "ci", allowAllDeployments: false, deploymentIds: [billing.id], version: 1 });
    expect(first).not.toBe(created.keyHint);
    expect(first.endsWith(created.keyHint.slice(-4))).toBe(true);
    await expect(org.client().deployments.execute("billing", first)).resolves.toMatchObject({ deployment: "billing", keyKind: "global", keyId: created.id });
    await page.locator("tr[data-row=ci]").getByText(created.keyHint).waitFor();
    await ui.screenshot("global-keys");

    // Rotate with a grace period: the old secret works until it ends, then no more.
    await page.getByRole("button", { name: "Rotate ci" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate “ci”" });
    await rotate.getByLabel("Grace period", { exact: true }).fill("6");
    await rotate.getByLabel("Grace period unit").selectOption("seconds");
    await ui.screenshot("rotate-dialog");
    await rotate.getByRole("button", { name: "Rotate" }).click();
    const second = await copyAndClose();
    expect(second).toMatch(/^ks_gak_/);
    expect(second).not.toBe(first);
    const rotated = await org.admin.globalApiKeys.get(created.id);
    expect(rotated.version).toBe(2);
    await expect(org.client().deployments.execute("billing", first)).resolves.toMatchObject({ keyId: created.id });
    await expect(org.client().deployments.execute("billing", second)).resolves.toMatchObject({ keyId: created.id });
    await page.locator("tr[data-row=ci]").getByText(/previous secret works until/).waitFor();
    await ui.screenshot("global-keys-rotated");
    await waitUntilPast(rotated.previousKeyExpiresAt!);
    await expectApiError(org.client().deployments.execute("billing", first), 401, "unauthorized");
    await expect(org.client().deployments.execute("billing", second)).resolves.toMatchObject({ keyId: created.id });

    // Deactivate with a double click: one request.
    await openView(page, "Deployments");
    const patches: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "PATCH" && r.url().includes(`/deployments/${billing.id}`)) patches.push(r.url());
    });
    await page.getByRole("button", { name: "Deactivate billing" }).dblclick();
    await page.locator("tr[data-row=billing]").getByText("inactive").waitFor();
    await page.waitForTimeout(300);
    expect(patches).toHaveLength(1);
    expect((await org.admin.deployments.get(billing.id)).isActive).toBe(false);
    await expectApiError(org.client().deployments.execute("billing", second), 401, "unauthorized");

    // The audit view lists each step, newest first.
    await openView(page, "Audit events");
    await page.locator("tr[data-action]").first().waitFor();
    await ui.screenshot("audit-events");
    const actions = await page.locator("tr[data-action]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    // The secrets refused after the grace and after the deactivation are failed authentications.
    expect(actions.filter((a) => a !== "auth.failed").slice(0, 4)).toEqual(["deployment.update", "global_api_key.rotate", "global_api_key.create", "deployment.create"]);
    expect(actions).toContain("auth.failed");
    expect(actions.filter((a) => a === "deployment.update")).toHaveLength(1);
    await page.getByLabel("Action").fill("global_api_key.rotate");
    await page.getByRole("button", { name: "Filter" }).click();
    // The unfiltered rows stay until the filtered page arrives: wait for them to go, not for any row.
    await page.locator('tr[data-action]:not([data-action="global_api_key.rotate"])').first().waitFor({ state: "detached" });
    await page.locator("tr[data-action]").first().waitFor();
    await expect(page.locator("tr[data-action]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")))).resolves.toEqual(["global_api_key.rotate"]);
    await ui.screenshot("audit-events-filtered");

    // The other views, for a person to look at.
    await openView(page, "Platform API keys");
    await ui.screenshot("platform-keys");
    await openView(page, "LLM keys");
    await ui.screenshot("llm-keys");
    expect(ui.cspViolations).toEqual([]);
  });

  it("never puts the token in a URL, a cookie or localStorage, and forgets it on sign out", async () => {
    const { page } = ui;
    const token = suite.org.adminToken;
    expect(ui.urls.length).toBeGreaterThan(0);
    expect(ui.urls.filter((u) => u.includes(token))).toEqual([]);
    const before = await pageStorage(page);
    expect(before.session).toContain(token);
    expect(before.local).toBe("{}");
    expect(before.cookies).toBe("");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(JSON.stringify(await pageStorage(page))).not.toContain(token);
    expect(await page.content()).not.toContain(token);
    await page.reload();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("leaves no secret in the service's logs or database", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
