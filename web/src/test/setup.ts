// Every unit and screen test runs on the real core and reports module: the wasm that
// scripts/build-web.sh builds (npm test builds it first), read from disk, as Node has
// nothing to fetch it from.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { useImportBytes } from "../core/import";
import { useReportsBytes } from "../core/reports";
import { initView } from "../core/view";
import { initWasm } from "../core/wasm";

const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "../wasm");
await initWasm(readFileSync(join(wasmDir, "gfms_client_bg.wasm")));
// The first-screen module too (it reads saved groups before the core, and currencies).
await initView(readFileSync(join(wasmDir, "gfms_view_bg.wasm")));
// The reports module loads on first use, as in the app, from its bytes on disk.
useReportsBytes(readFileSync(join(wasmDir, "gfms_reports_bg.wasm")));
// So does the import module (Settings → Import).
useImportBytes(readFileSync(join(wasmDir, "gfms_import_bg.wasm")));
