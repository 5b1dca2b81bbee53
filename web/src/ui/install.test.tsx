// @vitest-environment happy-dom
// The "Add to Home Screen" guide. Adversary: the browser itself (Safari may clear a tab's
// storage after days without a visit, and the ledger may live only on this phone) — the
// guide is how an iPhone user learns to keep their records; it must show there, once, and
// never nag an installed app or a desktop.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dismissInstallGuide, installGuideDismissed, needsInstallGuide, type InstallEnv } from "../core/install";
import { memoryStore } from "../core/storage";
import { core, lisbon } from "../test/groups";
import { Shell } from "./Shell";

const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const IPAD_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";

const iphoneTab: InstallEnv = { userAgent: IPHONE_SAFARI, maxTouchPoints: 5, standalone: false };

beforeEach(() => localStorage.clear());
afterEach(() => cleanup());

async function open(installEnv: InstallEnv) {
  const trip = await lisbon();
  const store = memoryStore();
  await store.saveGroup(trip.ann, 0);
  await store.setCurrent(trip.ann.groupKey());
  render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} installEnv={installEnv} />);
  await screen.findByTestId("add-expense");
}

describe("who is guided to install", () => {
  it("an iPhone or iPad in a browser tab; not once installed, not a Mac, not Android", () => {
    expect(needsInstallGuide(iphoneTab)).toBe(true);
    expect(needsInstallGuide({ userAgent: IPAD_SAFARI, maxTouchPoints: 5, standalone: false })).toBe(true);
    expect(needsInstallGuide({ ...iphoneTab, standalone: true })).toBe(false);
    expect(needsInstallGuide({ userAgent: IPAD_SAFARI, maxTouchPoints: 0, standalone: false })).toBe(false); // a Mac
    expect(needsInstallGuide({ userAgent: ANDROID_CHROME, maxTouchPoints: 5, standalone: false })).toBe(false);
  });

  it("storage that throws (private mode) neither crashes nor hides the guide for good", () => {
    const broken = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(installGuideDismissed(broken)).toBe(false);
    expect(() => dismissInstallGuide(broken)).not.toThrow();
  });
});

describe("the guide on an iPhone in Safari", () => {
  it("says why, shows the steps, and once dismissed stays away on this device", async () => {
    await open(iphoneTab);
    const guide = screen.getByTestId("install-guide");
    expect(guide.textContent).toMatch(/Install GFMS on this iPhone/);
    expect(guide.textContent).toMatch(/Safari may clear them/);
    fireEvent.click(within(guide).getByRole("button", { name: "Show me how" }));
    const steps = await screen.findByTestId("install-steps");
    expect(steps.textContent).toMatch(/Add to Home Screen/);
    fireEvent.click(within(guide).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByTestId("install-guide")).toBeNull());
    cleanup();
    await open(iphoneTab);
    expect(screen.queryByTestId("install-guide")).toBeNull();
  });

  it("is not shown in the installed app, nor on a desktop", async () => {
    await open({ ...iphoneTab, standalone: true });
    expect(screen.queryByTestId("install-guide")).toBeNull();
    cleanup();
    await open({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0", maxTouchPoints: 0, standalone: false });
    expect(screen.queryByTestId("install-guide")).toBeNull();
  });
});
