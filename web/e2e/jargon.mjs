// The words of the app's design that must not reach its users' screens: "batch", "relay"
// (allowed in settings and under "Advanced"), "Σ", "simd", raw error codes (snake_case).
// An element may allow some of them for its subtree with data-jargon-ok="relay batch
// sigma simd" (settings, the sync panel's technical details, About). Returns what it
// found on the visible page, as "word: text". A script for Playwright's evaluate and
// WebDriver's execute alike.
export const JARGON_SCRIPT = `
  const words = [
    ["batch", /\\bbatch(es)?\\b/i],
    ["relay", /\\brelays?\\b/i],
    ["sigma", /Σ/],
    ["simd", /simd/i],
    ["code", /\\b[a-z]+_[a-z_]+\\b/],
  ];
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent || "";
    if (!el || !text.trim()) continue;
    if (el.closest("script, style, noscript")) continue;
    const visible = el.checkVisibility ? el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) : el.offsetParent !== null;
    if (!visible) continue;
    const allowed = new Set();
    for (let a = el.closest("[data-jargon-ok]"); a; a = a.parentElement && a.parentElement.closest("[data-jargon-ok]")) {
      for (const w of (a.getAttribute("data-jargon-ok") || "").split(/\\s+/)) allowed.add(w);
    }
    for (const [word, re] of words) if (!allowed.has(word) && re.test(text)) found.push(word + ": " + text.trim().slice(0, 80));
  }
  return found;
`;
