// The current group, read-only, while the client core loads (issue 12): its name, who is
// owed and who owes, and the expenses, from the first-screen module (../core/firstScreen).
// No button here writes: the shell replaces this screen with the group's own once the core
// is there, and only then can anything be added or changed.
import { useEffect, useState } from "preact/hooks";
import { readFirstScreen, type FirstScreen as Screen } from "../core/firstScreen";
import { formatMoney } from "../core/format";
import type { Store } from "../core/storage";
import { t } from "../i18n";

export function FirstScreen({ store }: { store: Store }) {
  const [screen, setScreen] = useState<Screen | null>(null);
  useEffect(() => {
    let live = true;
    void readFirstScreen(store).then((s) => live && setScreen(s));
    return () => {
      live = false;
    };
  }, [store]);

  const loading = <p aria-busy="true">{t("common.loading")}</p>;
  if (!screen) return <main class="screen center">{loading}</main>;
  const currency = screen.state.settings?.currency ?? "EUR";
  const nameOf = (id: string) => screen.state.members[id]?.name ?? id;
  return (
    <main class="screen stack" data-testid="first-screen">
      <h2>{screen.name}</h2>
      <ul class="plain">
        {Object.entries(screen.balances).map(([id, minor]) => (
          <li key={id} class="row between">
            <span>{nameOf(id)}</span>
            <span class="amount">{formatMoney(minor, currency)}</span>
          </li>
        ))}
      </ul>
      <ul class="plain">
        {screen.expenses.map(([id, e]) => (
          <li key={id} class="row between">
            <span>{e.title || e.shop || e.category}</span>
            <span class="amount">{formatMoney(e.amount, e.currency)}</span>
          </li>
        ))}
      </ul>
      {loading}
    </main>
  );
}
