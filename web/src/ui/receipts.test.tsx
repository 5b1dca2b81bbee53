// @vitest-environment happy-dom
// Receipts on the real core (wasm): Ann attaches a PDF to an expense from its editor and
// sees it there; the phone keeps its bytes and Settings counts them; removing one asks
// first; a 10 MB PDF is refused in words before the core is asked; the sync panel counts
// receipts still travelling. On Bob's phone a receipt whose bytes have not arrived says
// "Receipt on its way" (never a broken image) until a round brings them.
// Adversary: Crash at any step (a round merged the receipt and saved, and the app closed
// before the bytes were stored).
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { answerWanted, memoryBlobs } from "../core/blobs";
import { memoryStore } from "../core/storage";
import { receiptsOf } from "../receipts/receipts";
import { core, expense, lisbon, round } from "../test/groups";
import { openAnn } from "../test/shell";
import { Shell } from "./Shell";

afterEach(cleanup);

const pdf = (text: string, size?: number) => {
  const bytes = new Uint8Array(size ?? text.length);
  bytes.set(new TextEncoder().encode(text));
  return new File([bytes], "invoice.pdf", { type: "application/pdf" });
};

/** Chooses `file` in the editor's "Add receipt", as the photo picker hands it over. */
function choose(file: File) {
  const input = screen.getByTestId("receipt-input") as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

async function openExpense(title: string) {
  fireEvent.click(await screen.findByText(title));
  return screen.findByTestId("expense-editor");
}

describe("receipts", () => {
  it("attaches a PDF from the editor, keeps its bytes, counts them in Settings, removes it after asking", async () => {
    const { blobs } = await openAnn(({ ann, bobId, net }) => void ann.addExpense({ ...expense(ann.me(), [ann.me(), bobId], 4000, "Café"), title: "Dinner" }, net.clock.now));
    await openExpense("Dinner");
    choose(pdf("%PDF-1.4 dinner"));
    const tile = await screen.findByTestId("receipt-tile");
    expect(tile.textContent).toContain("invoice.pdf");
    await waitFor(() => expect(tile.getAttribute("data-state")).toBe("here"));
    // the phone keeps the bytes under the hash the expense names
    const stored = [...blobs.blobs.values()];
    expect(stored.map((b) => new TextDecoder().decode(b.bytes))).toEqual(["%PDF-1.4 dinner"]);
    expect(stored[0]?.hash).toMatch(/^[0-9a-f]{64}$/);

    // the sync panel says a receipt is still to send
    fireEvent.click(within(screen.getByTestId("expense-editor")).getByRole("button", { name: "Close" }));
    fireEvent.click(screen.getByTestId("sync-indicator"));
    expect((await screen.findByTestId("receipts-pending")).textContent).toMatch(/to send/);
    fireEvent.click(within(screen.getByTestId("sync-panel")).getByRole("button", { name: "Close" }));

    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    expect((await screen.findByTestId("receipt-usage")).textContent).toBe("Receipts use 15 B on this phone");
    fireEvent.click(screen.getByRole("button", { name: "Expenses" }));

    await openExpense("Dinner");
    fireEvent.click(await screen.findByTestId("receipt-tile"));
    fireEvent.click(await screen.findByTestId("remove-receipt"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("receipt-tile")).toBeNull());
    expect(await screen.findByText("Receipt removed")).toBeTruthy();
  });

  it("refuses a 10 MB PDF and an unreadable HEIC photo in words, and attaches nothing", async () => {
    await openAnn(({ ann, bobId, net }) => void ann.addExpense({ ...expense(ann.me(), [ann.me(), bobId], 4000, "Notary"), title: "Contract" }, net.clock.now));
    await openExpense("Contract");
    choose(pdf("%PDF-1.7", 10 * 1024 * 1024));
    const error = await screen.findByTestId("receipt-error");
    expect(error.textContent).toMatch(/too large \(10\.5 MB\): a receipt can be at most 4 MB/);
    expect(screen.queryByTestId("receipt-tile")).toBeNull();
    // a HEIC photo this browser cannot decode (this test's has no decoder at all)
    choose(new File([new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])], "IMG 7.HEIC", { type: "image/heic" }));
    await waitFor(() => expect(screen.getByTestId("receipt-error").textContent).toMatch(/cannot read HEIC photos\. Choose a JPEG instead/));
    expect(screen.queryByTestId("receipt-tile")).toBeNull();
  });

  it("a receipt chosen for a new expense is attached when it is saved", async () => {
    await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    fireEvent.input(screen.getByLabelText("What was it?"), { target: { value: "Museum" } });
    fireEvent.input(screen.getByLabelText("Amount", { exact: true }), { target: { value: "24" } });
    choose(pdf("%PDF-1.4 tickets"));
    await screen.findByTestId("receipt-pending");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.queryByTestId("expense-editor")).toBeNull());
    await openExpense("Museum");
    expect((await screen.findByTestId("receipt-tile")).textContent).toContain("invoice.pdf");
  });

  it("Crash at any step: on Bob's phone a receipt not yet here says it is on its way, then shows once a round brings it", async () => {
    const trip = await lisbon();
    const { ann, bob, net, bobId } = trip;
    const id = ann.addExpense({ ...expense(ann.me(), [ann.me(), bobId], 4000, "Café"), title: "Dinner" }, net.clock.now);
    ann.attachReceipt(id, new TextEncoder().encode("%PDF-1.4 dinner"), "application/pdf", "dinner.pdf", undefined, net.clock.now);
    await round(ann, net);
    // Bob's phone merged the record in a round whose bytes it did not keep (a crash, say)
    await round(bob, net);
    expect(receiptsOf(bob.state().expenses[id])).toHaveLength(1);
    const store = memoryStore();
    const blobs = memoryBlobs();
    await store.saveGroup(bob, 0);
    await store.setCurrent(bob.groupKey());
    render(<Shell factory={core} store={store} blobs={blobs} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    await openExpense("Dinner");
    const tile = await screen.findByTestId("receipt-tile");
    await waitFor(() => expect(tile.getAttribute("data-state")).toBe("waiting"));
    expect(tile.textContent).toContain("Receipt on its way");
    expect(tile.querySelector("img")).toBeNull();
    // a round: what the engine completed is stored, and the tile shows the receipt
    fireEvent.click(within(screen.getByTestId("expense-editor")).getByRole("button", { name: "Close" }));
    fireEvent.click(screen.getByTestId("sync-indicator"));
    fireEvent.click(await screen.findByTestId("sync-now"));
    await waitFor(() => expect(blobs.blobs.size).toBe(1), { timeout: 5000 });
    fireEvent.click(within(screen.getByTestId("sync-panel")).getByRole("button", { name: "Close" }));
    await openExpense("Dinner");
    await waitFor(() => expect(screen.getByTestId("receipt-tile").getAttribute("data-state")).toBe("here"));
  });
});

describe("receipts' room on this phone", () => {
  it("drops the full images of old receipts on request, keeping their small images", async () => {
    const full = new Uint8Array(5000).fill(7);
    const small = new Uint8Array(300).fill(9);
    let attached = { hash: "", thumb: null as string | null | undefined };
    const { blobs } = await openAnn(({ ann, bobId, net }) => {
      const id = ann.addExpense({ ...expense(ann.me(), [ann.me(), bobId], 4000, "Café", "2025-01-10"), title: "Old dinner" }, net.clock.now);
      attached = ann.attachReceipt(id, full, "image/jpeg", "old.jpg", small, net.clock.now);
    });
    // kept as the phone that attached it keeps it
    await blobs.put(attached.hash, full);
    if (attached.thumb) await blobs.put(attached.thumb, small);

    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    expect((await screen.findByTestId("receipt-usage")).textContent).toBe("Receipts use 5 KB on this phone");
    fireEvent.click(screen.getByTestId("drop-full-images"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    expect(await screen.findByText("5 KB freed")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("receipt-usage").textContent).toBe("Receipts use 300 B on this phone"));

    fireEvent.click(screen.getByRole("button", { name: "Expenses" }));
    await openExpense("Old dinner");
    const tile = await screen.findByTestId("receipt-tile");
    await waitFor(() => expect(tile.getAttribute("data-state")).toBe("here"));
    fireEvent.click(tile);
    expect((await screen.findByTestId("receipt-only-thumb")).textContent).toBe("Only the small image is kept on this phone");
  });
});

describe("a receipt added before someone joined", () => {
  it("Offline for weeks: Carol, who joined later, asks the others for it, and Ann's phone sends it again", async () => {
    const { ann, bob, net, bobId } = await lisbon();
    const annBlobs = memoryBlobs();
    const id = ann.addExpense({ ...expense(ann.me(), [ann.me(), bobId], 4000, "Café"), title: "Dinner" }, net.clock.now);
    const bytes = new TextEncoder().encode("%PDF-1.4 dinner");
    const { hash } = ann.attachReceipt(id, bytes, "application/pdf", "dinner.pdf", undefined, net.clock.now);
    await annBlobs.put(hash, bytes);
    for (const phone of [ann, bob, ann, bob, ann]) await round(phone, net);

    const carol = core.join(ann.inviteCode(), "Carol", net.clock.now);
    for (const phone of [carol, ann, carol, ann]) await round(phone, net);
    expect(receiptsOf(carol.state().expenses[id])).toHaveLength(1);
    const store = memoryStore();
    const blobs = memoryBlobs();
    await store.saveGroup(carol, 0);
    await store.setCurrent(carol.groupKey());
    render(<Shell factory={core} store={store} blobs={blobs} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    const syncHere = async () => {
      fireEvent.click(screen.getByTestId("sync-indicator"));
      fireEvent.click(await screen.findByTestId("sync-now"));
      await waitFor(() => expect((screen.getByTestId("sync-now") as HTMLButtonElement).disabled).toBe(false), { timeout: 5000 });
      fireEvent.click(within(screen.getByTestId("sync-panel")).getByRole("button", { name: "Close" }));
    };

    await openExpense("Dinner");
    fireEvent.click(await screen.findByTestId("receipt-tile"));
    fireEvent.click(await screen.findByTestId("ask-receipt"));
    expect(await screen.findByText("Asked the others for this receipt")).toBeTruthy();
    fireEvent.click(within(screen.getByTestId("receipt-viewer")).getByRole("button", { name: "Close" }));
    fireEvent.click(within(screen.getByTestId("expense-editor")).getByRole("button", { name: "Close" }));
    await syncHere(); // the request goes out

    // Ann's phone hears it, holds the receipt, and sends it again
    await round(ann, net);
    expect(await answerWanted(ann, annBlobs)).toBe(1);
    await round(ann, net);

    for (let i = 0; i < 3 && blobs.blobs.size === 0; i++) await syncHere();
    expect(new TextDecoder().decode((await blobs.get(hash))?.bytes)).toBe("%PDF-1.4 dinner");
    await openExpense("Dinner");
    await waitFor(() => expect(screen.getByTestId("receipt-tile").getAttribute("data-state")).toBe("here"));
  });
});
