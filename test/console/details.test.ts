import { type ConsoleBrowser, openConsole, openView, pageStorage, readClipboard, signIn } from "../helpers/browser";
import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

jest.setTimeout(120_000);

const suite = serviceSuite();
let ui: ConsoleBrowser;

beforeAll(async () => {
  ui = await openConsole(suite.svc.url, "details");
  await signIn(ui.page, suite.svc.url, suite.org.slug, suite.org.adminToken);
});
afterAll(async () => {
  await ui?.close();
});

describe("the console's forms and rows", () => {
  it("keeps the scope chosen in a new key's form while the lists refresh", async () => {
    const { page } = ui;
    await suite.org.admin.deployments.create({ name: "alpha" });
    await suite.org.admin.deployments.create({ name: "beta" });
    await openView(page, "Global API keys");
    await page.getByRole("button", { name: "New global API key" }).click();
    const form = page.getByRole("form", { name: "New global API key" });
    await form.getByLabel("Name").fill("scoped");
    await form.getByLabel("Chosen deployments").check();
    await form.getByRole("checkbox", { name: "beta" }).check();
    // Someone else adds a deployment; the console refreshes its lists.
    await suite.org.admin.deployments.create({ name: "gamma" });
    await page.getByRole("button", { name: "Refresh" }).click();
    await form.getByRole("checkbox", { name: "gamma" }).waitFor();
    await ui.screenshot("scope-after-refresh");
    await expect(form.getByLabel("Chosen deployments").isChecked()).resolves.toBe(true);
    await expect(form.getByRole("checkbox", { name: "beta" }).isChecked()).resolves.toBe(true);
    await expect(form.getByRole("checkbox", { name: "alpha" }).isChecked()).resolves.toBe(false);
    await expect(form.getByLabel("Name").inputValue()).resolves.toBe("scoped");
    await form.getByRole("button", { name: "Create key" }).click();
    suite.ledger.add((await page.getByTestId("secret").textContent()) ?? undefined);
    await page.getByRole("button", { name: /close/ }).click();
    const key = (await suite.org.admin.globalApiKeys.list()).items.find((k) => k.name === "scoped")!;
    const beta = (await suite.org.admin.deployments.findByName("beta"))!;
    expect(key.deploymentIds).toEqual([beta.id]);
  });

  it("shows the API's errors next to the fields they name", async () => {
    const { page } = ui;
    await page.getByRole("button", { name: "New global API key" }).click();
    const form = page.getByRole("form", { name: "New global API key" });
    await form.getByLabel("Name").fill(" padded ");
    await form.getByLabel("Chosen deployments").check();
    await form.getByRole("button", { name: "Create key" }).click();
    await expect(page.locator("#new-global-name-error").textContent()).resolves.toBe("must not start or end with spaces");
    await expect(page.locator("#new-global-scope-error").textContent()).resolves.toBe("must list at least one deployment, or set allowAllDeployments to true");
    await ui.screenshot("field-errors");
    // A name already taken is a conflict of the whole form, said in words.
    await form.getByLabel("Name").fill("scoped");
    await form.getByLabel("All deployments of the org").check();
    await form.getByRole("button", { name: "Create key" }).click();
    await form.getByRole("alert").filter({ hasText: 'A global API key named "scoped" already exists in this org.' }).waitFor();
    await form.getByRole("button", { name: "Cancel" }).click();
  });

  it("shows a row's error in its row, and deletes only after a confirmation naming the key", async () => {
    const { page } = ui;
    const doomed = await suite.org.admin.globalApiKeys.create({ name: "doomed", allowAllDeployments: true });
    suite.ledger.add(doomed.key);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.locator("tr[data-row=doomed]").waitFor();
    // Deleted behind the console's back: the toggle says so in the row.
    await suite.org.admin.globalApiKeys.delete(doomed.id);
    await page.getByRole("button", { name: "Deactivate doomed" }).click();
    await page.locator("tr[data-row=doomed]").getByRole("alert").filter({ hasText: `There is no global API key with id "${doomed.id}" in this org.` }).waitFor();
    await ui.screenshot("row-error");

    const victim = await suite.org.admin.globalApiKeys.create({ name: "victim", allowAllDeployments: true });
    suite.ledger.add(victim.key);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.getByRole("button", { name: "Delete victim" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete global API key “victim”?" });
    await confirm.getByText(victim.keyHint).waitFor();
    await ui.screenshot("delete-confirmation");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(suite.org.admin.globalApiKeys.get(victim.id)).resolves.toMatchObject({ name: "victim" });
    await page.getByRole("button", { name: "Delete victim" }).click();
    await confirm.getByRole("button", { name: "Delete victim" }).click();
    await page.locator("tr[data-row=victim]").waitFor({ state: "detached" });
    await expectApiError(suite.org.admin.globalApiKeys.get(victim.id), 404, "not_found");
  });

  it("creates a deployment key shown once, whose copied secret opens the deployment, and revokes it", async () => {
    const { page } = ui;
    await openView(page, "Deployments");
    await page.getByRole("button", { name: "Keys of alpha" }).click();
    const keys = page.getByRole("region", { name: "Keys of alpha" });
    await keys.getByLabel("New deployment key (name optional)").fill("runner");
    await keys.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("button", { name: "Copy secret" }).click();
    const secret = suite.ledger.add(await readClipboard(page));
    expect(secret).toMatch(/^ks_dk_/);
    await page.getByRole("button", { name: /close/ }).click();
    expect(await page.content()).not.toContain(secret);
    await expect(suite.org.client().deployments.execute("alpha", secret)).resolves.toMatchObject({ deployment: "alpha", keyKind: "deployment" });
    await ui.screenshot("deployment-keys");
    await keys.getByRole("button", { name: "Revoke runner" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke runner" }).click();
    await keys.getByText("No deployment keys.").waitFor();
    await expectApiError(suite.org.client().deployments.execute("alpha", secret), 401, "unauthorized");
  });

  it("lists LLM keys by hint, shows an undecryptable one as such, and replaces its secret", async () => {
    const { page } = ui;
    await openView(page, "LLM keys");
    await page.getByRole("button", { name: "Add LLM key" }).click();
    const first = suite.ledger.add(`sk-first-${uniqueName("s")}-0000`);
    await page.getByLabel("Provider (one key per provider)").fill("openai");
    await page.getByLabel("Label").fill("Production");
    await page.getByLabel("Secret (stored encrypted, never shown again)").fill(first);
    await page.getByRole("button", { name: "Add key" }).click();
    await page.locator("tr[data-row=openai]").getByText("active").waitFor();
    expect(await page.content()).not.toContain(first);
    const other = await suite.org.admin.llmKeys.create({ provider: "anthropic", label: "Claude", apiKey: suite.ledger.add(`sk-ant-${uniqueName("s")}-1111`) });
    // A row sealed for another row cannot be opened: the service reports it undecryptable.
    const [openai] = (await suite.org.admin.llmKeys.list()).items.filter((k) => k.provider === "openai");
    await suite.svc.db.exec("UPDATE llm_keys SET sealed_key = (SELECT sealed_key FROM llm_keys WHERE id = ?) WHERE id = ?", other.id, openai.id);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.locator("tr[data-row=openai]").getByText("undecryptable").waitFor();
    await ui.screenshot("llm-keys-undecryptable");

    await page.getByRole("button", { name: "Replace the secret of openai" }).click();
    const replacement = suite.ledger.add(`sk-second-${uniqueName("s")}-2222`);
    await page.getByLabel("New secret").fill(replacement);
    await page.getByRole("button", { name: "Replace secret" }).click();
    await page.locator("tr[data-row=openai]").getByText("active").waitFor();
    await expect(suite.org.admin.llmKeys.verify(openai.id, { apiKey: replacement })).resolves.toEqual({ matches: true });
    expect(await page.content()).not.toContain(replacement);
    expect(JSON.stringify(await pageStorage(page))).not.toContain(replacement);
  });

  it("pages through the audit trail newest first", async () => {
    const { page } = ui;
    for (let i = 0; i < 30; i++) await suite.org.admin.deployments.create({ name: `bulk-${i}` });
    await openView(page, "Audit events");
    await page.locator("tr[data-action]").first().waitFor();
    expect(await page.locator("tr[data-action]").count()).toBe(25);
    const firstPage = await page.locator("tr[data-action] td[title]").evaluateAll((cells) => cells.map((c) => c.getAttribute("title")!));
    expect([...firstPage].sort().reverse()).toEqual(firstPage);
    await page.getByRole("button", { name: "Older →" }).click();
    await page.getByText("Page 2").waitFor();
    const older = await page.locator("tr[data-action] td[title]").evaluateAll((cells) => cells.map((c) => c.getAttribute("title")!));
    expect(older.length).toBeGreaterThan(0);
    expect(older[0] <= firstPage[firstPage.length - 1]).toBe(true);
    await page.getByRole("button", { name: "← Newer" }).click();
    await page.getByText("Page 1").waitFor();
    expect(ui.cspViolations).toEqual([]);
  });

  it("leaves no secret in the service's logs or database", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
