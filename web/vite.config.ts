import { defineConfig } from "vitest/config";
import preact from "@preact/preset-vite";

// The relays the app offers by default. `make dev` sets the three local relays.
const relays = process.env.VITE_GFMS_RELAYS ?? "http://127.0.0.1:8787,http://127.0.0.1:8788,http://127.0.0.1:8789";

export default defineConfig({
  plugins: [preact()],
  define: { __GFMS_DEFAULT_RELAYS__: JSON.stringify(relays) },
  build: { target: "es2022", sourcemap: true },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
