import { startTestService, type TestService } from "../helpers/service";

describe("GET /healthz", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  it("answers 200 with status ok, without a credential", async () => {
    await expect(svc.client().health()).resolves.toEqual({ status: "ok" });
  });
});
