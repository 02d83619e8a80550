export * from "./dist/runtime";
