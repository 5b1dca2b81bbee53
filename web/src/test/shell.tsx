// Opening the app on Ann's phone with the Lisbon trip, as the screen tests start.
import { render, screen } from "@testing-library/preact";
import { memoryBlobs } from "../core/blobs";
import { memoryStore } from "../core/storage";
import { Shell } from "../ui/Shell";
import { core, lisbon, type Trip } from "./groups";

/** Ann's phone with the Lisbon group open; `before` runs on her group first. */
export async function openAnn(before: (t: Trip) => void | Promise<void> = () => {}) {
  const trip = await lisbon();
  await before(trip);
  const store = memoryStore();
  const blobs = memoryBlobs();
  await store.saveGroup(trip.ann, 0);
  await store.setCurrent(trip.ann.groupKey());
  render(<Shell factory={core} store={store} blobs={blobs} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
  await screen.findByTestId("add-expense");
  return { ...trip, store, blobs };
}
