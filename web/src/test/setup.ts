// Every unit and screen test runs on the real core: the wasm that scripts/build-web.sh
// builds (npm test builds it first), read from disk, as Node has nothing to fetch it from.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { initWasm } from "../core/wasm";

await initWasm(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../wasm/gfms_client_bg.wasm")));
