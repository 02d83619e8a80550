import fp from "fastify-plugin";
import { validatorCompiler } from "fastify-type-provider-zod";

/**
 * Fastify validates every route's path parameters, query and body with the sdk's zod schemas (the
 * zod validator compiler); plugins/errors.ts turns a failure into the 422 that names each field.
 */
export const validationPlugin = fp(
  async (app) => {
    app.setValidatorCompiler(validatorCompiler);
    app.decorateRequest("auth", null);
    app.decorateRequest("platformAdmin", null);
  },
  { name: "keyservice-validation" },
);
