// Hand-made group states for unit tests of pure UI helpers (screen tests use the real core).
import type { DeviceView } from "../core/types";

/** A device with nothing left to deliver and nothing it cannot read. */
export const SETTLED_DEVICE: DeviceView = { leaving: false, readyToDelete: false, alone: false, unsent: 0, outbox: 0, newerEvents: [], unreadBatches: 0 };
