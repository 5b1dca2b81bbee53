// The bottom tab bar.
import { t, type Key } from "../i18n";

export type Tab = "expenses" | "balances" | "stats" | "members" | "settings";

const TABS: { tab: Tab; label: Key; icon: string }[] = [
  { tab: "expenses", label: "tabs.expenses", icon: "M4 5h16M4 12h16M4 19h10" },
  { tab: "balances", label: "tabs.balances", icon: "M12 3v18M5 8h14M3 14l2-6 2 6a2 2 0 0 1-4 0zM17 14l2-6 2 6a2 2 0 0 1-4 0z" },
  { tab: "stats", label: "tabs.stats", icon: "M5 20V11M12 20V4M19 20v-6" },
  { tab: "members", label: "tabs.members", icon: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M17 11a3 3 0 1 0 0-6M22 21a6 6 0 0 0-4-5.6" },
  { tab: "settings", label: "tabs.settings", icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-2.9 1.2V21a2 2 0 1 1-4 0v-.1A1.7 1.7 0 0 0 6.8 19.4l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1A1.7 1.7 0 0 0 2.9 14H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" },
];

export function TabBar({ tab: current, onTab }: { tab: Tab; onTab: (t: Tab) => void }) {
  return (
    <nav class="tabbar" aria-label={t("tabs.sections")}>
      {TABS.map((tab) => (
        <button key={tab.tab} type="button" aria-label={t(tab.label)} aria-current={current === tab.tab ? "page" : undefined} onClick={() => onTab(tab.tab)}>
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <path d={tab.icon} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <span aria-hidden="true">{t(tab.label)}</span>
        </button>
      ))}
    </nav>
  );
}
