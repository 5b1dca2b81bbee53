// The mark on an expense-list row that is an instance of a recurring series: "↻ monthly".
import { unitText } from "../core/repeat";
import type { EventId, GroupState } from "../core/types";
import { t } from "../i18n";

export function SeriesTag({ state, id }: { state: GroupState; id: EventId }) {
  const of = state.instances?.[id];
  if (!of) return null;
  return (
    <span class="series-tag" data-testid="series-tag">
      <span aria-hidden="true">↻ </span>
      <span class="sr-only">{t("repeat.recurringSr")}</span>
      {unitText(state.recurring?.[of.series]?.schedule)}
      {" · "}
    </span>
  );
}
