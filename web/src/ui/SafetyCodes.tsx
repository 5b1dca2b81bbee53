// Safety codes (docs/member-keys.md): each member's code, from the keys its phone
// published, and this phone's own, to compare in person; which members still run a
// version without keys; and whether the group is "signed" (every active member has keys).
// Each code also as a QR (its digits, without spaces), drawn by the lazily loaded encoder
// (./Qr), so a phone's camera can read the other phone's code.
import { useMemo, useState } from "preact/hooks";
import { isolate, memberIds, nameOf, useGroup } from "./context";
import { Qr } from "./Qr";
import { t } from "../i18n";

/** What a safety code's QR holds: its digits, without the spaces. */
export function qrText(digits: string): string {
  return digits.replace(/\s+/g, "");
}

/** A code's QR, under a disclosure (open at first for this phone's own code, the one
 * another phone scans): drawn only while open. */
function CodeQr({ digits, label, testid, initiallyOpen = false }: { digits: string; label: string; testid: string; initiallyOpen?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details open={initiallyOpen} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid={`${testid}-toggle`}>
      <summary>{t("keys.showQr")}</summary>
      {open && <Qr text={qrText(digits)} label={label} testid={testid} small />}
    </details>
  );
}

/** "21097 27101 28416" as groups of digits, read out one group at a time. */
function Code({ digits, testid }: { digits: string; testid: string }) {
  return (
    <code class="safety-code" data-testid={testid}>
      {digits.split(/\s+/).map((g, i) => (
        <span key={i}>{g} </span>
      ))}
    </code>
  );
}

export function SafetyCodes() {
  const { api, state, version } = useGroup();
  const me = api.me();
  const keys = useMemo(() => api.keys(), [api, version]);
  const byMember = new Map(keys.members.map((k) => [k.member, k]));
  const shown = memberIds(state, me, true).filter((m) => m !== me && !state.members[m]?.placeholder);
  // Someone added by name has no phone, so no keys: they never keep the group unsigned
  // (the engine counts only members with a device: `State::members_with_devices`).
  const signed = keys.signed;
  return (
    <section class="card stack" data-testid="safety-codes">
      <h3>{t("keys.title")}</h3>
      <p data-testid="keys-signed" data-signed={signed}>
        {signed ? t("keys.signed") : t("keys.notSigned")}
      </p>
      <p class="hint muted">{t("keys.compare")}</p>
      <ul class="list">
        <li data-testid="my-safety-code">
          <span class="title">{t("keys.mine")}</span>
          <Code digits={keys.mySafetyCode} testid="safety-code-me" />
          <CodeQr digits={keys.mySafetyCode} label={t("keys.qrMine")} testid="safety-qr-me" initiallyOpen />
        </li>
        {shown.map((m) => {
          const k = byMember.get(m);
          return (
            <li key={m} data-testid="member-safety-code">
              <bdi class="title">{nameOf(state, m)}</bdi>
              {k?.safetyCode ? (
                <>
                  <Code digits={k.safetyCode} testid={`safety-code-${m}`} />
                  <CodeQr digits={k.safetyCode} label={t("keys.qrOf", { name: isolate(nameOf(state, m)) })} testid={`safety-qr-${m}`} />
                </>
              ) : (
                <span class="muted">{t("keys.older")}</span>
              )}
              {k && k.conflictingKeys > 0 && <span class="warn">{t("keys.conflict")}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
