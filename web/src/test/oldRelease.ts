// A tab of an old release of the app, for the tests of two versions in one browser
// (../core/db): it opens the database at version 1 and never steps aside for a newer one.
import { openDB } from "idb";
import { upgradeDb } from "../core/storage";
import type { GroupApi } from "../core/types";

/**
 * A connection to database `name` at version 1, with no `versionchange` handler, holding
 * `api` (in the clear, as releases before sealing saved it) as the current group.
 */
export async function oldRelease(name: string, api: GroupApi) {
  const old = await openDB(name, 1, { upgrade: (d, from) => upgradeDb(d, from, 1) });
  await old.put("groups", { key: api.groupKey(), name: api.name(), updatedMs: 1, rev: 1, saved: api.save() });
  await old.put("meta", api.groupKey(), "current");
  return old;
}
