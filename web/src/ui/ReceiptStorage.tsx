// Settings: what receipts take on this phone ("Receipts use 3.4 MB on this phone"), and
// keeping only the small images of old ones (the full images of expenses older than N
// months are dropped here; the others in the group keep theirs).
import { useEffect, useState } from "preact/hooks";
import { fromIso, isoDate } from "../core/format";
import { formatBytes, fullImagesBefore, monthsBefore } from "../receipts/receipts";
import { intlLocale, t } from "../i18n";
import { useGroup } from "./context";

const MONTHS = [1, 3, 6, 12];

const dayText = (day: string) => new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium" }).format(fromIso(day));

export function ReceiptStorage() {
  const { state, blobs, confirm, toast, problem } = useGroup();
  const [usage, setUsage] = useState<number | null>(null);
  const [months, setMonths] = useState(3);
  useEffect(() => {
    let live = true;
    const read = () => void blobs.usage().then((n) => live && setUsage(n), () => {});
    read();
    const off = blobs.subscribe(read);
    return () => {
      live = false;
      off();
    };
  }, [blobs]);
  if (!usage) return null;

  const drop = async () => {
    const before = monthsBefore(isoDate(), months);
    const hashes = fullImagesBefore(state, before);
    if (!(await confirm(t("receipts.dropConfirm", { day: dayText(before) }), t("receipts.dropButton")))) return;
    try {
      const freed = await blobs.drop(hashes);
      toast(freed > 0 ? t("receipts.freed", { size: formatBytes(freed) }) : t("receipts.noneOld"));
    } catch (e) {
      problem(e);
    }
  };

  return (
    <section class="card stack" data-testid="receipt-storage">
      <h2>{t("receipts.title")}</h2>
      <p data-testid="receipt-usage">{t("receipts.usage", { size: formatBytes(usage) })}</p>
      <div class="row">
        <label class="grow">
          {t("receipts.dropLabel")}
          <select value={months} onChange={(e) => setMonths(Number(e.currentTarget.value))}>
            {MONTHS.map((m) => (
              <option key={m} value={m}>
                {t("receipts.months", { n: m })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="button" onClick={() => void drop()} data-testid="drop-full-images">
        {t("receipts.dropButton")}
      </button>
    </section>
  );
}
