import { render } from "preact";
import { App } from "./app";
import { setLanguage, startLanguage, use } from "./i18n";
import { en } from "./i18n/en";
import "./style.css";

const root = document.getElementById("app");
// The language chosen on this phone, else the browser's: English is in this bundle, the
// others a precached chunk fetched before the first render (English if that fails).
const lang = startLanguage();
const ready = lang === "en" ? Promise.resolve(use("en", en)) : setLanguage(lang).catch(() => use("en", en));
void ready.then(() => {
  if (root) render(<App />, root);
});
