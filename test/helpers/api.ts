import { type ErrorCode, KeyserviceError } from "@keyservice/sdk";

/** Awaits a call that must fail, checks its HTTP status and error code, and returns the error. */
export async function expectApiError(call: Promise<unknown>, status: number, code: ErrorCode): Promise<KeyserviceError> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof KeyserviceError)) throw err;
    expect({ status: err.httpStatus, code: err.code }).toEqual({ status, code });
    return err;
  }
  // The result is not printed: it may hold a secret.
  throw new Error(`Expected the call to fail with ${status} ${code}, but it succeeded.`);
}

/** The paths named by an error's details, sorted. */
export function detailPaths(err: KeyserviceError): string[] {
  return (err.details ?? []).map((d) => d.path).sort();
}
