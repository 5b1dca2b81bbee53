// The relay's entry point (wrangler.toml `main`): the Rust Worker that worker-build
// writes to ../build/index.js, with its fetch handler guarded so every answer carries
// CORS headers (guard.mjs). The Durable Object class is the Rust one, unchanged.
import RustRelay, { GroupRelay } from "../build/index.js";
import { guarded } from "./guard.mjs";

export { GroupRelay };

export default class Relay extends RustRelay {
  async fetch(request) {
    return guarded(() => super.fetch(request), request, this.env);
  }
}
