/** Failed authentications of one client (IPv4 address or IPv6 /64) in one fixed window, shared by every instance. */
export interface AuthFailureWindowsTable {
  client: string;
  windowStart: number;
  failures: number;
}
