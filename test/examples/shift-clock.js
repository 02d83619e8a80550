// Test-only preload (NODE_OPTIONS=--require): moves this Node process's clock forward by
// KEYSERVICE_TEST_CLOCK_SHIFT_MS, so a scheduled run days from now can be rehearsed today.
const shift = Number(process.env.KEYSERVICE_TEST_CLOCK_SHIFT_MS || 0);
if (shift) {
  const RealDate = Date;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => (args.length > 0 ? Reflect.construct(target, args, newTarget) : Reflect.construct(target, [target.now() + shift], newTarget)),
    apply: (target) => new target(target.now() + shift).toString(),
    get: (target, prop, receiver) => (prop === "now" ? () => target.now() + shift : Reflect.get(target, prop, receiver)),
  });
}
