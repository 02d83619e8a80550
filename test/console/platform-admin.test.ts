import { type ConsoleBrowser, openConsole, openView, pageStorage } from "../helpers/browser";
import { expectNoSecretsInService } from "../helpers/leaks";
import { serviceSuite } from "../helpers/suite";
import { statusOf } from "../helpers/wait";

jest.setTimeout(120_000);

/** A platform admin signs in, acts in an org through an impersonation with a reason, and its sign-out stops it. */
const suite = serviceSuite();
let ui: ConsoleBrowser;

beforeAll(async () => {
  ui = await openConsole(suite.svc.url, "platform-admin");
});
afterAll(async () => {
  await ui?.close();
});

it("picks an org, says why, acts as its admin with every step in the org's trail, and stops the impersonation on sign-out", async () => {
  const { page } = ui;
  const adminToken = suite.ledger.add(await suite.svc.platformAdmin("ops-bob"));
  await page.goto(`${suite.svc.url}/console/`);
  await page.getByLabel("Token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Act in an org", level: 1 }).waitFor();
  await ui.screenshot("org-picker");

  // No reason, no impersonation: said next to the field.
  await page.getByLabel("Org").selectOption(suite.org.slug);
  await page.getByRole("button", { name: "Act as org admin" }).click();
  await page.getByText("Say why: the reason goes into the org's audit trail.").waitFor();

  await page.getByLabel("Reason").fill("ticket #314: customer locked out");
  await page.getByRole("button", { name: "Act as org admin" }).click();
  await page.getByRole("heading", { name: "Deployments", level: 1 }).waitFor();
  await page.getByTestId("who").getByText("platform admin acting as org admin").waitFor();

  // Acts as an org admin: creates a deployment through the console.
  await page.getByLabel("New deployment").fill("from-support");
  await page.getByRole("button", { name: "Create deployment" }).click();
  await page.locator("tr[data-row=from-support]").getByText("active").waitFor();

  // The session holds the impersonation's token and the admin's, in sessionStorage only.
  const storage = await pageStorage(page);
  const session = JSON.parse(JSON.parse(storage.session)["keyservice.console.session"]);
  expect(session).toMatchObject({ org: suite.org.slug, token: expect.stringMatching(/^ks_imp_/), admin: { token: adminToken } });
  suite.ledger.add(session.token);
  expect(storage.local).toBe("{}");
  expect(storage.cookies).toBe("");

  await openView(page, "Audit events");
  await page.getByText("impersonation.start").first().waitFor();
  await ui.screenshot("impersonating-audit");
  const { items } = await suite.org.admin.auditEvents.list({ limit: 100 });
  expect(items.find((e) => e.action === "impersonation.start")).toMatchObject({ detail: "ticket #314: customer locked out", actor: expect.stringMatching(/^platform_admin:/) });
  expect(items.find((e) => e.action === "deployment.create")?.actor).toMatch(/^platform_admin:.* as org admin \(impersonation:/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  // The impersonation ended with the session: its token no longer works.
  expect(await statusOf(suite.svc.client(session.token, suite.org.slug).deployments.list())).toBe(401);
  expect((await suite.org.admin.auditEvents.list({ limit: 100, action: "impersonation.stop" })).items).toHaveLength(1);
  expect((await pageStorage(page)).session).toBe("{}");
  expect(ui.cspViolations).toEqual([]);
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
