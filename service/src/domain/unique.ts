import { ApiError } from "@keyservice/sdk";
import { isUniqueViolation } from "../db/errors";

/** Runs a write, turning a unique-constraint violation into a 409 `conflict` that says what already exists. */
export async function unlessTaken<T>(write: Promise<T>, conflict: string): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", conflict);
    throw err;
  }
}
