// An in-memory stand-in for the wasm facade, in plain TypeScript, for the unit and
// screen tests only (never bundled into the app). Faithful to the contract's shapes;
// the arithmetic is the ledger's (largest-remainder splits, greedy settle-up), the
// sync is scripted by the test.
import type {
  EventId, Expense, Filter, GroupApi, GroupFactory, GroupSettings, GroupState, MemberId, MergeReport,
  PendingBatch, Settlement, Statistics, SyncReport, SyncRoundApi, SyncStep, Transfer,
} from "./types";

export class FacadeError extends Error {
  constructor(public code: string, message: string) {
    super(message);
  }
}

function hex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

let seq = 0;
function eventId(nowMs: number): EventId {
  seq += 1;
  const t = nowMs.toString(16).padStart(12, "0");
  const r = (seq.toString(16) + hex(20)).slice(0, 20);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6, 18)}`;
}

/** Largest-remainder distribution, ties to the smaller member id (as the ledger). */
export function distribute(total: number, weights: [MemberId, number][]): [MemberId, number][] {
  const merged = new Map<MemberId, number>();
  for (const [m, w] of weights) merged.set(m, (merged.get(m) ?? 0) + w);
  const ws = [...merged].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const sum = ws.reduce((s, [, w]) => s + w, 0);
  if (ws.length === 0 || sum === 0) throw new FacadeError("bad_split", "nobody to split among");
  const mag = Math.abs(total);
  const parts = ws.map(([m, w]) => ({ m, p: Math.floor((mag * w) / sum), r: (mag * w) % sum }));
  let left = mag - parts.reduce((s, x) => s + x.p, 0);
  const order = parts.map((_, i) => i).sort((a, b) => (parts[b]?.r ?? 0) - (parts[a]?.r ?? 0) || a - b);
  for (const i of order) {
    if (left === 0) break;
    const part = parts[i];
    if (part) part.p += 1;
    left -= 1;
  }
  const sign = total < 0 ? -1 : 1;
  return parts.map(({ m, p }) => [m, sign * p]);
}

function splitAmount(e: Expense): [MemberId, number][] {
  const s = e.split;
  switch (s.kind) {
    case "equal":
      return distribute(e.amount, [...new Set(s.members)].map((m) => [m, 1]));
    case "shares":
      return distribute(e.amount, s.weights);
    case "percent": {
      const total = s.basis_points.reduce((a, [, b]) => a + b, 0);
      if (total !== 10_000) throw new FacadeError("bad_split", `percentages add up to ${(total / 100).toFixed(2)} %`);
      return distribute(e.amount, s.basis_points);
    }
    case "exact": {
      const total = s.amounts.reduce((a, [, b]) => a + b, 0);
      if (total !== e.amount) throw new FacadeError("bad_split", "exact parts do not add up to the amount");
      return s.amounts;
    }
  }
}

function inGroupCurrency(e: { amount: number; currency: string; rate?: { numerator: number; denominator: number } }, group: string): number | null {
  if (e.currency === group) return e.amount;
  if (!e.rate) return null;
  const v = Math.round((Math.abs(e.amount) * e.rate.numerator) / e.rate.denominator);
  return e.amount < 0 ? -v : v;
}

interface Saved {
  key: string;
  me: MemberId;
  state: GroupState;
  lastSync: number;
  pending: PendingBatch[];
}

/** A scripted sync round: the steps to hand out, in order. */
export type Script = (api: FakeGroup) => SyncRoundApi;

export class FakeGroup implements GroupApi {
  data: Saved;
  /** the sync round the next syncRound() call returns (tests set it) */
  script: Script | null = null;
  /** push endpoints to hand out */
  push: [string, string[]][] = [];

  constructor(data: Saved) {
    this.data = data;
  }

  private get s(): GroupState {
    return this.data.state;
  }

  private settings(): GroupSettings {
    if (!this.s.settings) throw new FacadeError("no_group", "the group has no settings");
    return this.s.settings;
  }

  private check(e: Expense): void {
    const group = this.settings().currency;
    if (!/^[A-Z]{3}$/.test(e.currency)) throw new FacadeError("bad_currency", `bad currency ${e.currency}`);
    if (e.currency !== group && (!e.rate || e.rate.numerator <= 0 || e.rate.denominator <= 0)) {
      throw new FacadeError("bad_rate", "a rate is needed for another currency");
    }
    const paid = e.payers.reduce((s, [, a]) => s + a, 0);
    if (paid !== e.amount) throw new FacadeError("payers_mismatch", `payers paid ${paid}, amount is ${e.amount}`);
    for (const [m] of [...e.payers, ...splitAmount(e)]) {
      if (!this.s.members[m]) throw new FacadeError("unknown_member", `unknown member ${m}`);
    }
  }

  groupKey(): string {
    return this.data.key;
  }
  me(): MemberId {
    return this.data.me;
  }
  state(): GroupState {
    return structuredClone(this.s);
  }
  save(): string {
    return JSON.stringify(this.data);
  }
  inviteCode(): string {
    const [relays, k] = this.s.relays ?? [[], 0];
    return btoa(JSON.stringify({ key: this.data.key, name: this.settings().name, currency: this.settings().currency, relays, k }));
  }
  inviteLink(appUrl: string): string {
    return `${appUrl}#join=${this.inviteCode()}`;
  }

  addExpense(expense: Expense, nowMs: number): EventId {
    this.check(expense);
    const id = eventId(nowMs);
    this.s.expenses[id] = structuredClone(expense);
    return id;
  }
  editExpense(id: EventId, expense: Expense, _nowMs: number): void {
    if (!this.s.expenses[id]) throw new FacadeError("not_found", "no such expense");
    this.check(expense);
    this.s.expenses[id] = structuredClone(expense);
  }
  deleteExpense(id: EventId, _nowMs: number): void {
    if (!this.s.expenses[id]) throw new FacadeError("not_found", "no such expense");
    delete this.s.expenses[id];
  }
  recordSettlement(settlement: Settlement, nowMs: number): EventId {
    if (settlement.from === settlement.to) throw new FacadeError("bad_settlement", "from and to are the same member");
    const id = eventId(nowMs);
    this.s.settlements[id] = structuredClone(settlement);
    return id;
  }
  deleteSettlement(id: EventId, _nowMs: number): void {
    if (!this.s.settlements[id]) throw new FacadeError("not_found", "no such settlement");
    delete this.s.settlements[id];
  }
  renameMember(member: MemberId, name: string, _nowMs: number): void {
    const m = this.s.members[member];
    if (!m) throw new FacadeError("unknown_member", "no such member");
    if (!name.trim()) throw new FacadeError("bad_name", "a name cannot be empty");
    m.name = name.trim();
  }
  removeMember(member: MemberId, _nowMs: number): void {
    const m = this.s.members[member];
    if (!m) throw new FacadeError("unknown_member", "no such member");
    m.status = "removed";
  }
  leave(_nowMs: number): void {
    const m = this.s.members[this.data.me];
    if (m) m.status = "left";
  }
  changeSettings(settings: GroupSettings, _nowMs: number): void {
    if (!/^[A-Z]{3}$/.test(settings.currency)) throw new FacadeError("bad_currency", "bad currency");
    this.s.settings = structuredClone(settings);
  }
  changeRelays(relays: string[], k: number, _nowMs: number): void {
    if (k < 2 || k > relays.length) throw new FacadeError("bad_threshold", `k must be between 2 and ${relays.length}`);
    this.s.relays = [[...relays], k];
  }

  expenses(filter: Filter): [EventId, Expense][] {
    const text = filter.text?.toLowerCase();
    return Object.entries(this.s.expenses)
      .filter(([, e]) =>
        (!filter.category || e.category === filter.category) &&
        (!filter.shop || e.shop === filter.shop) &&
        (!filter.account || e.account === filter.account) &&
        (!filter.member || e.payers.some(([m]) => m === filter.member) || splitAmount(e).some(([m]) => m === filter.member)) &&
        (!filter.from || e.date >= filter.from) &&
        (!filter.to || e.date <= filter.to) &&
        (!text || [e.shop, e.category, e.account, e.note].some((f) => f.toLowerCase().includes(text))))
      .sort((a, b) => (a[1].date === b[1].date ? (a[0] < b[0] ? 1 : -1) : a[1].date < b[1].date ? 1 : -1));
  }
  balances(): Record<MemberId, number> {
    const out: Record<MemberId, number> = Object.fromEntries(Object.keys(this.s.members).map((m) => [m, 0]));
    const group = this.s.settings?.currency ?? "";
    const add = (m: MemberId, v: number) => (out[m] = (out[m] ?? 0) + v);
    for (const e of Object.values(this.s.expenses)) {
      const amount = inGroupCurrency(e, group);
      if (amount === null) continue;
      for (const [m, v] of distribute(amount, e.payers)) add(m, v);
      for (const [m, v] of distribute(amount, splitAmount(e))) add(m, -v);
    }
    for (const t of Object.values(this.s.settlements)) {
      const amount = inGroupCurrency(t, group);
      if (amount === null) continue;
      add(t.from, amount);
      add(t.to, -amount);
    }
    return out;
  }
  settleUp(): Transfer[] {
    const b = Object.entries(this.balances());
    const debtors = b.filter(([, v]) => v < 0).map(([m, v]): [MemberId, number] => [m, -v]);
    const creditors = b.filter(([, v]) => v > 0);
    const plan: Transfer[] = [];
    for (;;) {
      debtors.sort((x, y) => y[1] - x[1]);
      creditors.sort((x, y) => y[1] - x[1]);
      const d = debtors[0];
      const c = creditors[0];
      if (!d || !c) break;
      const amount = Math.min(d[1], c[1]);
      plan.push({ from: d[0], to: c[0], amount });
      d[1] -= amount;
      c[1] -= amount;
      if (d[1] === 0) debtors.shift();
      if (c[1] === 0) creditors.shift();
    }
    return plan;
  }
  async statistics(filter: Filter): Promise<Statistics> {
    const s: Statistics = { by_category: {}, by_month: {}, by_shop: {}, by_account: {}, by_payer: {}, total: 0 };
    const group = this.s.settings?.currency ?? "";
    const bump = (r: Record<string, number>, k: string, v: number) => (r[k] = (r[k] ?? 0) + v);
    for (const [, e] of this.expenses(filter)) {
      const amount = inGroupCurrency(e, group);
      if (amount === null) continue;
      bump(s.by_category, e.category, amount);
      bump(s.by_month, e.date.slice(0, 7), amount);
      bump(s.by_shop, e.shop, amount);
      bump(s.by_account, e.account, amount);
      for (const [m, v] of distribute(amount, e.payers.map(([m, a]) => [m, Math.abs(a)]))) bump(s.by_payer, m, v);
      s.total += amount;
    }
    return s;
  }
  splitParts(expense: Expense): [MemberId, number][] {
    return splitAmount(expense);
  }

  async exportCsv(): Promise<string> {
    const rows = this.expenses({}).map(([id, e]) => [id, e.date, e.amount, e.currency, e.category, e.shop, e.account, e.note].join(","));
    return ["id,date,amount,currency,category,shop,account,note", ...rows].join("\n");
  }
  async exportJson(): Promise<string> {
    return JSON.stringify({ expenses: this.s.expenses, settlements: this.s.settlements });
  }
  importJson(json: string): MergeReport {
    let parsed: { expenses?: Record<EventId, Expense>; settlements?: Record<EventId, Settlement> };
    try {
      parsed = JSON.parse(json) as typeof parsed;
    } catch {
      throw new FacadeError("bad_json", "not a GFMS backup");
    }
    let added = 0;
    let duplicates = 0;
    for (const [id, e] of Object.entries(parsed.expenses ?? {})) {
      if (this.s.expenses[id]) duplicates += 1;
      else {
        this.s.expenses[id] = e;
        added += 1;
      }
    }
    for (const [id, t] of Object.entries(parsed.settlements ?? {})) {
      if (this.s.settlements[id]) duplicates += 1;
      else {
        this.s.settlements[id] = t;
        added += 1;
      }
    }
    return { added, duplicates };
  }

  pending(): PendingBatch[] {
    return structuredClone(this.data.pending);
  }
  lastSyncMs(): number {
    return this.data.lastSync;
  }
  pushEndpoints(): [string, string[]][] {
    return this.push;
  }
  syncRound(nowMs: number): SyncRoundApi {
    if (this.script) return this.script(this);
    return scriptedRound([{ kind: "done", report: emptyReport(this) }], () => (this.data.lastSync = nowMs));
  }
  /** test helper: add a member as if they had joined on their phone */
  addMember(name: string): MemberId {
    const id = hex(32);
    this.s.members[id] = { name, status: "active" };
    return id;
  }
}

export function emptyReport(api: GroupApi): SyncReport {
  const [relays] = api.state().relays ?? [[], 0];
  return {
    sent_batches: 0, received_batches: 0, received_events: 0, completed_batches: 0, reput_shares: 0,
    relays: relays.map((url) => ({ url, health: "up" })),
    pending: api.pending(),
  };
}

/** A round that hands out `steps` and records what the driver answered. */
export function scriptedRound(steps: SyncStep[], onDone: () => void = () => {}): SyncRoundApi & { log: string[] } {
  const queue = [...steps];
  const log: string[] = [];
  return {
    log,
    next() {
      const step = queue.shift() ?? { kind: "done", report: { sent_batches: 0, received_batches: 0, received_events: 0, completed_batches: 0, reput_shares: 0, relays: [], pending: [] } };
      log.push(`next:${step.kind}`);
      if (step.kind === "done") onDone();
      return step;
    },
    handle(id, status, body) {
      log.push(`handle:${id}:${status}:${new TextDecoder().decode(body)}`);
    },
    fail(id, message) {
      log.push(`fail:${id}:${message}`);
    },
    persisted() {
      log.push("persisted");
    },
  };
}

interface Invite {
  key: string;
  name: string;
  currency: string;
  relays: string[];
  k: number;
}

function readInvite(codeOrLink: string): Invite {
  const code = codeOrLink.includes("#join=") ? codeOrLink.slice(codeOrLink.indexOf("#join=") + 6) : codeOrLink.trim();
  try {
    const inv = JSON.parse(atob(code)) as Invite;
    if (typeof inv.name !== "string" || !Array.isArray(inv.relays)) throw new Error("shape");
    return inv;
  } catch {
    throw new FacadeError("bad_invite", "this is not a GFMS invite");
  }
}

export const fakeFactory = {
  create(opts: Parameters<GroupFactory["create"]>[0]): FakeGroup {
    if (!opts.name.trim()) throw new FacadeError("bad_name", "the group needs a name");
    if (opts.k < 2 || opts.k > opts.relays.length) throw new FacadeError("bad_threshold", `k must be between 2 and ${opts.relays.length}`);
    const me = hex(32);
    return new FakeGroup({
      key: hex(32),
      me,
      lastSync: 0,
      pending: [],
      state: {
        settings: { name: opts.name, currency: opts.currency, categories: ["Food", "Transport", "Lodging"], accounts: ["Cash", "Card"] },
        members: { [me]: { name: opts.memberName, status: "active" } },
        expenses: {},
        settlements: {},
        relays: [[...opts.relays], opts.k],
      },
    });
  },
  join(code: string, memberName: string, _nowMs: number): FakeGroup {
    const inv = readInvite(code);
    const me = hex(32);
    return new FakeGroup({
      key: hex(32),
      me,
      lastSync: 0,
      pending: [],
      state: {
        settings: { name: inv.name, currency: inv.currency, categories: [], accounts: [] },
        members: { [me]: { name: memberName, status: "active" } },
        expenses: {},
        settlements: {},
        relays: [inv.relays, inv.k],
      },
    });
  },
  load(saved: string): FakeGroup {
    return new FakeGroup(JSON.parse(saved) as Saved);
  },
  peekInvite(codeOrLink: string) {
    const inv = readInvite(codeOrLink);
    return { name: inv.name, relays: inv.relays, k: inv.k };
  },
} satisfies GroupFactory;
