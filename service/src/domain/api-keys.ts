import {
  ApiError,
  type CreateGlobalApiKeyRequest,
  type CreatePlatformApiKeyRequest,
  type GlobalApiKey,
  type Permission,
  type PlatformApiKey,
  permissionRank,
  type UpdateGlobalApiKeyRequest,
  type UpdatePlatformApiKeyRequest,
} from "@keyservice/sdk";
import { sql } from "kysely";
import type { z } from "zod";
import { tag } from "../cache/entries";
import { newId } from "../crypto/ids";
import { digestToken, newToken, tokenHint } from "../crypto/tokens";
import { isUniqueViolation } from "../db/errors";
import { prepared, preparedAll } from "../db/prepared";
import type { ApiKeyRow, ApiKeyUpdate } from "../db/tables/api-keys.table";
import type { Db, Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { OrgCaller } from "./caller";
import { paginate } from "./pagination";

export type ApiKeyKind = "global" | "platform";
/** What the API shows for a key of kind K. */
export type Rendered<K extends ApiKeyKind> = K extends "global" ? GlobalApiKey : PlatformApiKey;

type CreateInput = z.output<typeof CreateGlobalApiKeyRequest> | z.output<typeof CreatePlatformApiKeyRequest>;
type UpdateInput = z.output<typeof UpdateGlobalApiKeyRequest> & z.output<typeof UpdatePlatformApiKeyRequest>;

const LABEL: Record<ApiKeyKind, string> = { global: "global API key", platform: "platform API key" };

function instant(ms: number | null): string | null {
  return ms === null ? null : iso(Number(ms));
}

function common(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isActive: row.isActive === 1,
    keyHint: row.keyHint,
    version: Number(row.version),
    createdAt: iso(Number(row.createdAt)),
    updatedAt: iso(Number(row.updatedAt)),
    rotatedAt: instant(row.rotatedAt),
    expiresAt: instant(row.expiresAt),
    previousKeyExpiresAt: instant(row.previousKeyExpiresAt),
    lastUsedAt: instant(row.lastUsedAt),
  };
}

/** Renders a key as the API shows it. */
export async function render<K extends ApiKeyKind>(db: Db, row: ApiKeyRow & { kind: K }): Promise<Rendered<K>> {
  return renderWithScope(row, row.kind === "global" ? await deploymentIdsOf(db, row.id) : []);
}

/** Renders a key whose scope (the deployment ids of a global key, in order) was read with it. */
function renderWithScope<K extends ApiKeyKind>(row: ApiKeyRow & { kind: K }, deploymentIds: readonly string[]): Rendered<K> {
  if (row.kind === "platform") return { ...common(row), permission: row.permission ?? "read" } as Rendered<K>;
  return { ...common(row), allowAllDeployments: row.allowAllDeployments === 1, deploymentIds } as Rendered<K>;
}

// A key by id and its scope: every GET, update and rotation reads them, so they are compiled once.
const apiKeyOfOrg = prepared((db, id: string, orgId: string, kind: ApiKeyKind) => db.selectFrom("apiKeys").selectAll().where("id", "=", id).where("orgId", "=", orgId).where("kind", "=", kind));
const scopeInOrder = preparedAll((db, apiKeyId: string) => db.selectFrom("apiKeyDeployments").select("deploymentId").where("apiKeyId", "=", apiKeyId).orderBy("deploymentId"));

async function deploymentIdsOf(db: Db, apiKeyId: string): Promise<string[]> {
  return (await scopeInOrder(db, apiKeyId)).map((r) => r.deploymentId);
}

export async function findApiKey<K extends ApiKeyKind>(db: Db, orgId: string, kind: K, id: string): Promise<ApiKeyRow & { kind: K }> {
  const row = await apiKeyOfOrg(db, id, orgId, kind);
  if (!row) throw new ApiError("not_found", `There is no ${LABEL[kind]} with id "${id}" in this org.`);
  return row as ApiKeyRow & { kind: K };
}

/**
 * A key and its scope in one read (one round trip on PostgreSQL, one statement on SQLite): the
 * scope's deployment ids as one comma-separated text, in order (ids never hold a comma). A join
 * read the same in 3–4× the time on SQLite (a row per deployment; npm run bench).
 */
const apiKeyWithScope = prepared((db, id: string, orgId: string, kind: ApiKeyKind) =>
  db
    .selectFrom("apiKeys")
    .selectAll("apiKeys")
    .select((eb) =>
      eb
        .selectFrom("apiKeyDeployments")
        .select((sub) => sql<string | null>`string_agg(${sub.ref("apiKeyDeployments.deploymentId")}, ',' order by ${sub.ref("apiKeyDeployments.deploymentId")})`.as("ids"))
        .whereRef("apiKeyDeployments.apiKeyId", "=", "apiKeys.id")
        .as("scope"),
    )
    .where("apiKeys.id", "=", id)
    .where("apiKeys.orgId", "=", orgId)
    .where("apiKeys.kind", "=", kind),
);

/** A key's row and its scope (the deployment ids of a global key, in order): all a GET shows. */
export interface ApiKeyRecord {
  row: ApiKeyRow;
  scope: readonly string[];
  /**
   * What a GET shows, made on the first and frozen: a cached record never changes (a write or a
   * usage flush evicts it), so every GET it answers sends the same object, rendered once.
   */
  view?: Readonly<Rendered<ApiKeyKind>>;
}

/** A key of this org and kind with its scope, from the store; undefined when there is none. */
export async function readApiKey(db: Db, orgId: string, kind: ApiKeyKind, id: string): Promise<ApiKeyRecord | undefined> {
  const found = await apiKeyWithScope(db, id, orgId, kind);
  if (!found) return undefined;
  const { scope, ...row } = found;
  // Frozen: a cached record's scope is handed to every response that shows it.
  return { row, scope: Object.freeze(scope ? scope.split(",") : []) };
}

/** What the API shows for a key read with its scope; not_found unless it is of this org and kind. */
export function renderApiKey<K extends ApiKeyKind>(record: ApiKeyRecord | undefined, orgId: string, kind: K, id: string): Readonly<Rendered<K>> {
  if (!record || record.row.orgId !== orgId || record.row.kind !== kind) throw new ApiError("not_found", `There is no ${LABEL[kind]} with id "${id}" in this org.`);
  // Of this kind: the record's kind was checked above, and a record never changes kind.
  record.view ??= Object.freeze(renderWithScope(record.row as ApiKeyRow & { kind: K }, record.scope)) as Readonly<Rendered<ApiKeyKind>>;
  return record.view as Rendered<K>;
}

export async function getApiKey<K extends ApiKeyKind>(db: Db, orgId: string, kind: K, id: string): Promise<Readonly<Rendered<K>>> {
  return renderApiKey(await readApiKey(db, orgId, kind, id), orgId, kind, id);
}

export async function listApiKeys<K extends ApiKeyKind>(db: Db, orgId: string, kind: K, limit: number, cursor?: string) {
  const page = await paginate(db.selectFrom("apiKeys").selectAll().where("orgId", "=", orgId).where("kind", "=", kind), { limit, cursor });
  return { items: await Promise.all(page.items.map((r) => render(db, r as ApiKeyRow & { kind: K }))), nextCursor: page.nextCursor };
}

/** How far a caller may grant: an admin (or a member, who cannot write at all) without limit, a key up to its tier. */
function callerRank(caller: OrgCaller): number {
  return caller.kind === "platform" ? permissionRank[caller.permission] : Number.POSITIVE_INFINITY;
}

function ensureTierAllowed(caller: OrgCaller, permission: Permission, verb: string): void {
  if (caller.kind === "platform" && permissionRank[permission] > callerRank(caller)) {
    throw new ApiError("forbidden", `A ${caller.permission} key cannot ${verb} a ${permission} key: no caller can grant more than its own tier.`);
  }
}

async function checkDeployments(db: Db, orgId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await db.selectFrom("deployments").select("id").where("orgId", "=", orgId).where("id", "in", ids).execute()).map((r) => r.id));
  const details = ids.flatMap((id, i) => (found.has(id) ? [] : [{ path: `deploymentIds.${i}`, message: `"${id}" is not a deployment of this org` }]));
  if (details.length > 0) throw new ApiError("validation_failed", "The request is not valid: check deploymentIds.", details);
}

async function setDeployments(db: Db, apiKeyId: string, ids: string[]): Promise<void> {
  await db.deleteFrom("apiKeyDeployments").where("apiKeyId", "=", apiKeyId).execute();
  const unique = [...new Set(ids)];
  if (unique.length > 0) await db.insertInto("apiKeyDeployments").values(unique.map((deploymentId) => ({ apiKeyId, deploymentId }))).execute();
}

async function nameUnique<T>(kind: ApiKeyKind, name: string | undefined, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `A ${LABEL[kind]} named "${name}" already exists in this org.`);
    throw err;
  }
}

function instantOrNull(text: string | null | undefined): number | null {
  return text ? Date.parse(text) : null;
}

export async function createApiKey<K extends ApiKeyKind>(tx: Tx, orgId: string, caller: OrgCaller, kind: K, input: CreateInput) {
  if (kind === "platform") ensureTierAllowed(caller, (input as { permission: Permission }).permission, "create");
  const token = newToken(kind);
  const now = Date.now();
  const id = newId(now);
  const ids = kind === "global" ? ((input as { deploymentIds?: string[] }).deploymentIds ?? []) : [];
  await checkDeployments(tx.db, orgId, ids);
  await nameUnique(
    kind,
    input.name,
    tx.db
      .insertInto("apiKeys")
      .values({
        id,
        orgId,
        kind,
        name: input.name,
        description: input.description ?? null,
        isActive: input.isActive ? 1 : 0,
        allowAllDeployments: kind === "global" && (input as { allowAllDeployments: boolean }).allowAllDeployments ? 1 : 0,
        permission: kind === "platform" ? (input as { permission: Permission }).permission : null,
        expiresAt: instantOrNull(input.expiresAt),
        keyHint: tokenHint(token),
        version: 1,
        createdAt: now,
        updatedAt: now,
        rotatedAt: null,
        previousKeyExpiresAt: null,
        lastUsedAt: null,
      })
      .execute(),
  );
  await setDeployments(tx.db, id, ids);
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId, kind, ownerId: id, expiresAt: null, createdAt: now }).execute();
  await writeAudit(tx.db, orgId, caller, { action: `${kind}_api_key.create`, target: id });
  return { ...(await getApiKey(tx.db, orgId, kind, id)), key: token };
}

/**
 * What a patch would widen: re-activating, raising the tier, clearing or extending the expiry,
 * opening every deployment, adding deployments. Only an org admin or a full_access key may undo what was narrowed.
 */
async function wideningOf(db: Db, row: ApiKeyRow, patch: UpdateInput): Promise<string[]> {
  const widened: string[] = [];
  if (patch.isActive === true && row.isActive !== 1) widened.push("isActive");
  if (patch.permission !== undefined && permissionRank[patch.permission] > permissionRank[row.permission ?? "read"]) widened.push("permission");
  if (patch.expiresAt !== undefined && row.expiresAt !== null) {
    const next = instantOrNull(patch.expiresAt);
    if (next === null || next > Number(row.expiresAt)) widened.push("expiresAt");
  }
  if (row.kind === "global" && row.allowAllDeployments !== 1) {
    if (patch.allowAllDeployments === true) widened.push("allowAllDeployments");
    if (patch.deploymentIds !== undefined) {
      const current = new Set(await deploymentIdsOf(db, row.id));
      if (patch.deploymentIds.some((d) => !current.has(d))) widened.push("deploymentIds");
    }
  }
  return widened;
}

export async function updateApiKey<K extends ApiKeyKind>(tx: Tx, orgId: string, caller: OrgCaller, kind: K, id: string, patch: UpdateInput) {
  const row = await findApiKey(tx.db, orgId, kind, id);
  if (caller.kind === "platform" && caller.permission !== "full_access") {
    const widened = await wideningOf(tx.db, row, patch);
    if (widened.length > 0) {
      throw new ApiError(
        "forbidden",
        `A ${caller.permission} key can only narrow a key (deactivate it, shorten its expiry, remove deployments); widening ${widened.join(", ")} needs an org admin or a full_access key.`,
      );
    }
  }
  if (kind === "platform") {
    ensureTierAllowed(caller, row.permission ?? "read", "change");
    if (patch.permission) ensureTierAllowed(caller, patch.permission, "grant");
  }
  const set: ApiKeyUpdate = { updatedAt: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.isActive !== undefined) set.isActive = patch.isActive ? 1 : 0;
  if (patch.expiresAt !== undefined) set.expiresAt = instantOrNull(patch.expiresAt);
  if (kind === "platform" && patch.permission !== undefined) set.permission = patch.permission;
  if (kind === "global" && (patch.allowAllDeployments !== undefined || patch.deploymentIds !== undefined)) {
    // Scope is re-validated only when the patch touches it.
    const allowAll = patch.allowAllDeployments ?? row.allowAllDeployments === 1;
    const ids = patch.deploymentIds ?? (patch.allowAllDeployments ? [] : await deploymentIdsOf(tx.db, id));
    if (allowAll && ids.length > 0) {
      throw new ApiError("validation_failed", "The request is not valid: check deploymentIds.", [{ path: "deploymentIds", message: "must be empty when allowAllDeployments is true" }]);
    }
    if (!allowAll && ids.length === 0) {
      throw new ApiError("validation_failed", "The request is not valid: check deploymentIds.", [
        { path: "deploymentIds", message: "must list at least one deployment, or set allowAllDeployments to true" },
      ]);
    }
    await checkDeployments(tx.db, orgId, ids);
    set.allowAllDeployments = allowAll ? 1 : 0;
    await setDeployments(tx.db, id, ids);
  }
  await nameUnique(kind, patch.name, tx.db.updateTable("apiKeys").set(set).where("id", "=", id).execute());
  // State, expiry, tier and scope are what its credentials are cached with; GET's cached read
  // (domain/api-key-reader.ts) shows every field, so even a rename must publish this.
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, orgId, caller, { action: `${kind}_api_key.update`, target: id });
  return getApiKey(tx.db, orgId, kind, id);
}

export async function deleteApiKey<K extends ApiKeyKind>(tx: Tx, orgId: string, caller: OrgCaller, kind: K, id: string): Promise<void> {
  const row = await findApiKey(tx.db, orgId, kind, id);
  if (kind === "platform") ensureTierAllowed(caller, row.permission ?? "read", "delete");
  // Revocation is the credential rows going away, and every instance evicting them.
  await tx.db.deleteFrom("credentials").where("ownerId", "=", id).execute();
  await tx.db.deleteFrom("apiKeys").where("id", "=", id).execute();
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, orgId, caller, { action: `${kind}_api_key.delete`, target: id });
}

export async function rotateApiKey<K extends ApiKeyKind>(tx: Tx, orgId: string, caller: OrgCaller, kind: K, id: string, gracePeriodSeconds: number) {
  const token = newToken(kind);
  const row = await findApiKey(tx.db, orgId, kind, id);
  if (kind === "platform") ensureTierAllowed(caller, row.permission ?? "read", "rotate");
  const now = Date.now();
  const ownExpiry = row.expiresAt === null ? Number.POSITIVE_INFINITY : Number(row.expiresAt);
  const previousExpiresAt = gracePeriodSeconds > 0 ? Math.min(now + gracePeriodSeconds * 1000, ownExpiry) : null;
  // At most one previous secret stays alive: older ones end now.
  await tx.db.deleteFrom("credentials").where("ownerId", "=", id).where("expiresAt", "is not", null).execute();
  if (previousExpiresAt !== null && previousExpiresAt > now) {
    await tx.db.updateTable("credentials").set({ expiresAt: previousExpiresAt }).where("ownerId", "=", id).execute();
  } else {
    await tx.db.deleteFrom("credentials").where("ownerId", "=", id).execute();
  }
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId, kind, ownerId: id, expiresAt: null, createdAt: now }).execute();
  await tx.db
    .updateTable("apiKeys")
    .set({ keyHint: tokenHint(token), version: Number(row.version) + 1, rotatedAt: now, updatedAt: now, previousKeyExpiresAt: previousExpiresAt })
    .where("id", "=", id)
    .execute();
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, orgId, caller, { action: `${kind}_api_key.rotate`, target: id });
  return { ...(await getApiKey(tx.db, orgId, kind, id)), key: token };
}
