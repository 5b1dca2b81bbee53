import { render } from "preact";
import { App } from "./app";
import { setLanguage, startLanguage, use } from "./i18n";
import { en } from "./i18n/en";
import { initView } from "./core/view";
import "./style.css";

const root = document.getElementById("app");
// The language chosen on this phone, else the browser's: English is in this bundle, the
// others a precached chunk fetched before the first render (English if that fails).
const lang = startLanguage();
const texts = lang === "en" ? Promise.resolve(use("en", en)) : setLanguage(lang).catch(() => use("en", en));
// The first-screen module (issue 12) before the first render: it shows the current group
// while the core loads. If it fails (a browser without wasm SIMD), the core's load says why.
const ready = Promise.all([texts, initView().catch(() => undefined)]);
void ready.then(() => {
  if (root) render(<App />, root);
});
