//! The storage traits of `relay::store` over the Durable Object's storage (its key-value
//! API for the index, a SQL table for share bytes) and its hibernating WebSockets.

use gfms_protocol::PushEvent;
use wasm_bindgen::JsValue;
use worker::{ListOptions, ScheduledTime, SqlStorage, SqlStorageValue, State, Storage};

use crate::RelayError;
use crate::relay::store::{Audience, Blobs, Index, Push};

/// The Durable Object's storage API allows at most this many keys per `get`.
const MAX_KEYS_PER_GET: usize = 128;

/// The group's Durable Object storage.
pub struct DoIndex(pub Storage);

impl Index for DoIndex {
    async fn get(&self, key: &str) -> Result<Option<String>, RelayError> {
        Ok(self.0.get::<String>(key).await?)
    }

    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<String>>, RelayError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_KEYS_PER_GET) {
            let found = self.0.get_multiple(chunk.to_vec()).await?;
            out.extend(
                chunk
                    .iter()
                    .map(|k| found.get(&JsValue::from_str(k)).as_string()),
            );
        }
        Ok(out)
    }

    async fn put(&self, key: &str, value: String) -> Result<(), RelayError> {
        Ok(self.0.put(key, value).await?)
    }

    async fn delete(&self, key: &str) -> Result<(), RelayError> {
        self.0.delete(key).await?;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, RelayError> {
        let map = self
            .0
            .list_with_options(ListOptions::new().prefix(prefix))
            .await?;
        let mut out = Vec::new();
        for value in map.values() {
            let value = value.map_err(|e| RelayError::Unavailable(format!("{e:?}")))?;
            if let Some(text) = value.as_string() {
                out.push(text);
            }
        }
        Ok(out)
    }

    async fn alarm(&self) -> Result<Option<u64>, RelayError> {
        Ok(self.0.get_alarm().await?.map(|t| t.max(0) as u64))
    }

    async fn set_alarm(&self, at: u64) -> Result<(), RelayError> {
        let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
        Ok(self.0.set_alarm(ScheduledTime::new(date)).await?)
    }

    async fn clear(&self) -> Result<(), RelayError> {
        self.0.delete_alarm().await?;
        Ok(self.0.delete_all().await?)
    }
}

/// Share bytes in the Durable Object's own SQLite, one row per share generation (a share
/// is at most 1 MiB; a row may hold 2 MB). Nothing expires by itself here: the alarm
/// deletes bytes when their share expires, and removing the group deletes the table
/// with everything else (`deleteAll`). So the relay needs no KV: a put and its delete
/// are two rows written, of which the free plan allows 100,000 a day, where KV allowed
/// 1,000 writes and 1,000 deletes.
pub struct SqlBlobs(pub SqlStorage);

impl SqlBlobs {
    /// The table, created on first use (and again after a group's `deleteAll`).
    fn table(&self) -> Result<&SqlStorage, RelayError> {
        self.0.exec(
            "CREATE TABLE IF NOT EXISTS share_bytes (key TEXT PRIMARY KEY, bytes BLOB NOT NULL)",
            None,
        )?;
        Ok(&self.0)
    }
}

impl Blobs for SqlBlobs {
    async fn put(&self, key: &str, bytes: &[u8], _ttl_seconds: u64) -> Result<(), RelayError> {
        self.table()?.exec(
            "INSERT OR REPLACE INTO share_bytes (key, bytes) VALUES (?, ?)",
            vec![key.into(), SqlStorageValue::Blob(bytes.to_vec())],
        )?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RelayError> {
        let cursor = self.table()?.exec(
            "SELECT bytes FROM share_bytes WHERE key = ?",
            vec![key.into()],
        )?;
        for row in cursor.raw() {
            if let Some(SqlStorageValue::Blob(bytes)) = row?.into_iter().next() {
                return Ok(Some(bytes));
            }
        }
        Ok(None)
    }

    async fn delete(&self, key: &str) -> Result<(), RelayError> {
        self.table()?
            .exec("DELETE FROM share_bytes WHERE key = ?", vec![key.into()])?;
        Ok(())
    }
}

/// The group's WebSockets, tagged with the member pseudonym each was opened for.
pub struct Sockets<'a>(pub &'a State);

impl Push for Sockets<'_> {
    fn push(&self, event: &PushEvent, to: Audience<'_>) {
        let Ok(text) = serde_json::to_string(event) else {
            return;
        };
        let sockets = match to {
            Audience::All => self.0.get_websockets(),
            Audience::Members(members) => members
                .iter()
                .flat_map(|m| self.0.get_websockets_with_tag(&m.to_string()))
                .collect(),
        };
        for ws in sockets {
            let _ = ws.send_with_str(&text);
        }
    }

    fn close_all(&self) {
        for ws in self.0.get_websockets() {
            let _ = ws.close(Some(1001), Some("group removed"));
        }
    }
}
