// A horizontal SVG bar chart: one labelled bar per entry, largest first (or in key order).
import { t } from "../i18n";
export interface Bar {
  key: string;
  label: string;
  value: number;
}

export function BarChart({ title, bars, format }: { title: string; bars: Bar[]; format: (v: number) => string }) {
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value)));
  const rowH = 28;
  return (
    <figure class="chart card">
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p class="muted">{t("stats.noData")}</p>
      ) : (
        <ul class="bars" aria-label={title}>
          {bars.map((b) => (
            <li key={b.key} class="bar-row" style={{ minHeight: `${rowH}px` }}>
              <span class="bar-label">
                <bdi>{b.label || "—"}</bdi>
              </span>
              <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect x="0" y="0" height="10" width={Math.max(0.5, (Math.abs(b.value) / max) * 100)} rx="1.5" class={b.value < 0 ? "neg" : ""} />
              </svg>
              <span class="bar-value">{format(b.value)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
