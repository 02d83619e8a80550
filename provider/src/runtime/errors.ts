import { KeyserviceError } from "@keyservice/sdk";

/**
 * An error safe to show and log: method, path, status and error code (from KeyserviceError),
 * never a request body or header. With `id`, the engine records the resource instead of orphaning it.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly id?: string,
    readonly properties?: object,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export function describe(err: unknown): string {
  if (err instanceof KeyserviceError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Runs a step after something was created; on failure, the error carries the id and what is known. */
export async function afterCreated<T>(id: string, properties: object, step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new ProviderError(`${step} failed after the key was created (it is recorded in state; run pulumi up again): ${describe(err)}`, id, properties);
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KeyserviceError && err.httpStatus === 404;
}
