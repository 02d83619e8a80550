/** Hits of one subject (`auth:<client>`, `llm-verify:<caller>`) in one fixed window, shared by every instance. */
export interface RateLimitWindowsTable {
  subject: string;
  windowStart: number;
  hits: number;
}
