import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import type { HtmlTagDescriptor, Plugin } from "vite";
import preact from "@preact/preset-vite";
import { VitePWA } from "vite-plugin-pwa";

// The app holds the group secret, so an injected script would be the worst bug it could
// have. The built page only runs its own files: no inline script or style, no eval except
// compiling the wasm core. Relays are any URL a group chooses, hence the open connect-src.
// Only in the build: the dev server injects inline code for hot reloading.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' http: https: ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function contentSecurityPolicy(): Plugin {
  return {
    name: "gfms-csp",
    apply: "build",
    transformIndexHtml: () => [{ tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CSP }, injectTo: "head-prepend" }],
  };
}

// iPhone launch screens: iOS shows the one whose media query matches the device while an
// app opened from the home screen starts (it reads no manifest for this). The images are
// drawn by scripts/make-icons.mjs from the same list.
interface Screen {
  width: number;
  height: number;
  ratio: number;
}
function launchScreens(): Plugin {
  const { screens } = JSON.parse(readFileSync(new URL("scripts/splash-sizes.json", import.meta.url), "utf8")) as { screens: Screen[] };
  const tags: HtmlTagDescriptor[] = screens.flatMap(({ width, height, ratio }) =>
    (["light", "dark"] as const).map((scheme) => ({
      tag: "link",
      attrs: {
        rel: "apple-touch-startup-image",
        media: `screen and (device-width: ${width}px) and (device-height: ${height}px) and (-webkit-device-pixel-ratio: ${ratio}) and (orientation: portrait) and (prefers-color-scheme: ${scheme})`,
        href: `/splash/splash-${width * ratio}x${height * ratio}-${scheme}.png`,
      },
      injectTo: "head" as const,
    })),
  );
  return { name: "gfms-launch-screens", transformIndexHtml: () => tags };
}

// The relays the app offers by default. `make dev` sets the three local relays.
const relays = process.env.VITE_GFMS_RELAYS ?? "http://127.0.0.1:8787,http://127.0.0.1:8788,http://127.0.0.1:8789";

export default defineConfig({
  plugins: [
    contentSecurityPolicy(),
    launchScreens(),
    preact(),
    VitePWA({
      // A new version takes over at once: skipWaiting + clientsClaim.
      registerType: "autoUpdate",
      injectRegister: "script-defer",
      includeAssets: ["icons/apple-touch-icon.png"],
      manifest: {
        name: "GFMS — group finances",
        short_name: "GFMS",
        description: "Shared expenses with no central server: every phone holds the whole ledger.",
        lang: "en",
        start_url: "./",
        scope: "./",
        display: "standalone",
        orientation: "portrait",
        background_color: "#f8fafc",
        theme_color: "#0f766e",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // The app shell and the wasm core, so the app opens with no network.
        globPatterns: ["**/*.{html,js,css,wasm,png,webmanifest}"],
        // iOS reads its launch screen when the app is added to the home screen; precaching
        // all twenty would only slow every install, on every other device too.
        globIgnores: ["splash/**"],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        skipWaiting: true,
        clientsClaim: true,
        navigateFallback: "index.html",
        // Web Push: the `push` and `notificationclick` handlers (public/push-sw.js).
        importScripts: ["push-sw.js"],
      },
    }),
  ],
  define: { __GFMS_DEFAULT_RELAYS__: JSON.stringify(relays) },
  build: { target: "es2022", sourcemap: true },
  // The tests run on the real core: src/test/setup.ts loads the wasm that `npm test` builds.
  test: { environment: "node", include: ["src/**/*.test.ts", "src/**/*.test.tsx"], setupFiles: ["src/test/setup.ts"] },
});
