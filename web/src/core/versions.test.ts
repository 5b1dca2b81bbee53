// Two tabs of two versions of the app on one device: the service worker updated the app,
// a tab of the older version is still open, and the newer one upgrades the database
// (./db). Neither tab may hang, write with a closed connection or lose a change silently.
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { core, expense, lisbon } from "../test/groups";
import { databaseNews, whenUnblocked, type DbNews } from "./db";
import { GroupDoc, type Channel } from "./doc";
import { localLocks } from "./locks";
import { idbStore } from "./storage";
import { oldRelease } from "../test/oldRelease";
import type { GroupApi } from "./types";

const silent = (): Channel => ({ postMessage() {}, addEventListener() {}, removeEventListener() {}, close() {} });
const shops = (api: GroupApi) => api.expenses({}).map(([, e]) => e.shop);

let news: DbNews[] = [];
let unsubscribe = databaseNews((n) => news.push(n));
afterEach(() => {
  unsubscribe();
  news = [];
  unsubscribe = databaseNews((n) => news.push(n));
});

/** Settles `p` or says it is still waiting after the tasks queued now have run. */
async function settledSoon(p: Promise<unknown>): Promise<"ok" | "failed" | "waiting"> {
  const waiting = new Promise<"waiting">((r) => setTimeout(() => r("waiting"), 50));
  return Promise.race([p.then(() => "ok" as const, () => "failed" as const), waiting]);
}


describe("Newer version in another tab", () => {
  it("Newer version in another tab: this older tab lets it upgrade at once, tells its user to reload, and a change it makes after fails and is not left on the screen", async () => {
    const { ann } = await lisbon();
    const me = ann.me();
    const older = idbStore("versions-with-handler", 1); // this tab, of the release before
    await older.saveGroup(ann, 0);
    const doc = await GroupDoc.open({ factory: core, store: older, locks: localLocks(), channel: silent }, ann.groupKey());
    if (!doc) throw new Error("not saved");
    await doc.write((api, now) => api.addExpense(expense(me, [me], 900, "Before the update"), now));

    // the newer version opens the database: it is not kept waiting
    const newer = idbStore("versions-with-handler", 2);
    expect((await newer.listGroups()).map((g) => g.name)).toEqual(["Lisbon"]);
    expect(news).toEqual(["superseded"]);

    // the older tab no longer writes: its user's change fails like a failed save
    const late = doc.write((api, now) => api.addExpense(expense(me, [me], 500, "After the update"), now));
    await expect(late).rejects.toMatchObject({ code: "updated_elsewhere" });
    expect(shops(doc.api)).toEqual(["Before the update"]);
    await expect(older.listGroups()).rejects.toMatchObject({ code: "updated_elsewhere" });

    // the newer tab has every saved change and writes on
    const there = await GroupDoc.open({ factory: core, store: newer, locks: localLocks(), channel: silent }, ann.groupKey());
    expect(there && shops(there.api)).toEqual(["Before the update"]);
    await there?.write((api, now) => api.addExpense(expense(me, [me], 500, "In the new version"), now));
    expect(there && shops(there.api).sort()).toEqual(["Before the update", "In the new version"]);
    doc.close();
    there?.close();
  });

  it("Newer version in another tab: an older tab of a release that ignores the upgrade keeps the database open; this tab's calls fail at once instead of waiting, the user is told, and it goes on once that tab is closed", async () => {
    const { ann } = await lisbon();
    const name = "versions-without-handler";
    const old = await oldRelease(name, ann);

    const newer = idbStore(name, 2);
    const first = newer.listGroups();
    expect(await settledSoon(first)).toBe("failed"); // not "waiting" for as long as the old tab lives
    await expect(first).rejects.toMatchObject({ code: "blocked_by_other_tab" });
    expect(news).toContain("blocked");
    // every call meanwhile, one a change would make under the group's lock included, is answered at once
    expect(await settledSoon(newer.loadGroup(ann.groupKey()))).toBe("failed");
    expect(await settledSoon(newer.saveGroup(ann, 1))).toBe("failed");

    old.close(); // the user closes the other tab
    await whenUnblocked();
    expect(news.at(-1)).toBe("unblocked");
    expect((await newer.listGroups()).map((g) => g.name)).toEqual(["Lisbon"]);
    const doc = await GroupDoc.open({ factory: core, store: newer, locks: localLocks(), channel: silent }, ann.groupKey());
    await doc?.write((api, now) => api.addExpense(expense(ann.me(), [ann.me()], 500, "Once unblocked"), now));
    expect(doc && shops(doc.api)).toEqual(["Once unblocked"]);
    doc?.close();
  });
});
