// Another tab of the app runs another version (../core/db): when a newer one took the
// database over, this tab saves nothing more and offers a reload; when an older one keeps
// the database from opening at this version, this tab asks the user to close it, and goes
// on by itself once it is closed.
import { useEffect, useState } from "preact/hooks";
import { databaseNews, databaseState } from "../core/db";
import { t } from "../i18n";

/** The database's state as this tab last heard it, kept current. */
export function useDatabaseState(): ReturnType<typeof databaseState> {
  const [db, setDb] = useState(databaseState);
  useEffect(() => databaseNews(() => setDb(databaseState())), []);
  return db;
}

export function OtherVersion({ superseded, blocked }: ReturnType<typeof databaseState>) {
  if (superseded)
    return (
      <div class="card notice row between version-note" role="alert" data-testid="updated-elsewhere">
        <p class="grow">{t("db.superseded")}</p>
        <button type="button" onClick={() => location.reload()}>
          {t("action.reload")}
        </button>
      </div>
    );
  if (blocked)
    return (
      <div class="card notice version-note" role="alert" data-testid="close-other-tabs">
        <p>{t("db.blocked")}</p>
      </div>
    );
  return null;
}
