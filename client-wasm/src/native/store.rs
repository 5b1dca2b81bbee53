//! The CLI's state directory: one group per directory, in `group.json`, replaced
//! atomically (write a temporary file, fsync, rename), so a crash or an error never
//! leaves a half-written state. A write can never replace a state with less than it
//! held: a document that does not load back, is of another group, or holds fewer events
//! than the file it would replace is refused and the old file kept. The file's group and
//! event count are read from it, or, while it is still the file this process last wrote
//! there (same inode, size and time), remembered from that write: a round's saves do not
//! read back 10 MB each.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gfms_sync::Group;

use super::SyncHooks;

const FILE: &str = "group.json";

/// Why the state directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No group here yet.
    #[error("no group in {0} (create one with `gfms group create` or join with `gfms group join`)")]
    Empty(PathBuf),
    /// A group already lives here.
    #[error("{0} already holds a group; use another --state directory")]
    Occupied(PathBuf),
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a saved group.
    #[error("{path}: {source}")]
    Bad {
        /// The file.
        path: PathBuf,
        /// Why.
        source: gfms_sync::Error,
    },
    /// A write that would replace the saved state with less than it holds.
    #[error("{path}: not saved, the state on disk is kept: {why}")]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
}

/// What the guard reads of a saved state: whose it is and how many events it holds.
#[derive(serde::Deserialize)]
struct Census {
    secret: String,
    events: Vec<serde::de::IgnoredAny>,
}

/// The group's local key ([`Group::key`]) from a saved state's first secret (hex).
fn group_key(secret: &str) -> Option<String> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(secret, &mut bytes).ok()?;
    let keys = gfms_seal::GroupKeys::derive(&gfms_seal::GroupSecret::from_bytes(bytes));
    Some(hex::encode(keys.local_id()))
}

/// A state directory.
#[derive(Debug, Clone)]
pub struct StateDir {
    dir: PathBuf,
    /// What this process last wrote there (shared by its clones): the guard's census of
    /// the file it replaces, without reading it again while the file is that one.
    written: Arc<Mutex<Option<Written>>>,
}

/// A file this process wrote, as the guard reads it: which file it is (another writer's
/// replacement is another file: renamed into place, it has another inode, or another
/// size or time) and its census.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    file: FileId,
    key: String,
    events: usize,
}

/// What tells one file at a path from another written there since.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileId {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

impl FileId {
    fn of(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: std::os::unix::fs::MetadataExt::ino(&meta),
        })
    }
}

impl StateDir {
    /// The directory (created on first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            written: Arc::default(),
        }
    }

    fn file(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Whether a group is saved here.
    pub fn exists(&self) -> bool {
        self.file().is_file()
    }

    /// Loads the group.
    pub fn load(&self) -> Result<Group, StoreError> {
        let path = self.file();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Empty(self.dir.clone()));
            }
            Err(source) => return Err(StoreError::Io { path, source }),
        };
        Group::load(&text).map_err(|source| StoreError::Bad { path, source })
    }

    /// Saves a new group; refuses to overwrite another.
    pub fn create(&self, group: &Group) -> Result<(), StoreError> {
        if self.exists() {
            return Err(StoreError::Occupied(self.dir.clone()));
        }
        self.save(group)
    }

    /// Replaces the saved group atomically (see [`StateDir::replace`]).
    pub fn save(&self, group: &Group) -> Result<(), StoreError> {
        let doc = group.save().map_err(|source| StoreError::Bad {
            path: self.file(),
            source,
        })?;
        self.replace(&doc)
    }

    /// Replaces the saved state with `doc` atomically, if `doc` is a whole saved group,
    /// of the same group, holding at least as many events as the file it replaces;
    /// otherwise nothing is written. The directory is private (0700) and the file is
    /// created private (0600): it holds the group secret, so it is never readable by
    /// others, not even between its creation and a later chmod.
    pub fn replace(&self, doc: &str) -> Result<(), StoreError> {
        let refuse = |why: String| StoreError::Refused {
            path: self.file(),
            why,
        };
        // Read once: whose it is and how many events it holds come from what loaded.
        let new =
            Group::load(doc).map_err(|e| refuse(format!("the new state does not load: {e}")))?;
        let (new_key, new_events) = (new.key(), new.ledger().stored().count());
        if let Some((old_key, old_events)) = self.census() {
            if old_key.as_deref() != Some(new_key.as_str()) {
                return Err(refuse("the new state is of another group".into()));
            }
            if new_events < old_events {
                return Err(refuse(format!(
                    "the new state holds {new_events} events, the saved one {old_events}"
                )));
            }
        }
        atomic_write(&self.dir, FILE, doc.as_bytes())?;
        let written = FileId::of(&self.file()).map(|file| Written {
            file,
            key: new_key,
            events: new_events,
        });
        *self.written.lock().unwrap_or_else(|e| e.into_inner()) = written;
        Ok(())
    }

    /// The saved file's group key and event count, if it is a saved group: from what
    /// this process wrote while the file is still that one, else read from the file.
    fn census(&self) -> Option<(Option<String>, usize)> {
        let path = self.file();
        let file = FileId::of(&path)?;
        let known = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(w) = known.filter(|w| w.file == file) {
            return Some((Some(w.key), w.events));
        }
        let old = serde_json::from_str::<Census>(&fs::read_to_string(&path).ok()?).ok()?;
        Some((group_key(&old.secret), old.events.len()))
    }

    /// Where finished attachments live: `attachments/<hash>`.
    fn attachments(&self) -> PathBuf {
        self.dir.join(ATTACHMENTS)
    }

    /// Keeps an attachment's bytes (written atomically, private), under its hash.
    pub fn save_attachment(&self, hash: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if !gfms_ledger::is_hash(hash) {
            return Err(StoreError::Refused {
                path: self.attachments(),
                why: format!("not an attachment hash: {hash:?}"),
            });
        }
        atomic_write(&self.attachments(), hash, bytes)
    }

    /// An attachment's bytes, if this device holds them.
    pub fn attachment(&self, hash: &str) -> Option<Vec<u8>> {
        if !gfms_ledger::is_hash(hash) {
            return None;
        }
        fs::read(self.attachments().join(hash)).ok()
    }
}

/// The folder of finished attachments in a state directory.
const ATTACHMENTS: &str = "attachments";

/// Writes `dir/name` atomically: a private temporary file, fsync, rename.
fn atomic_write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    private_dir(dir).map_err(io(dir))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    // A temporary file left by a crash may have any mode: start afresh.
    match fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&tmp)(e)),
        _ => {}
    }
    {
        let mut f = private_file(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    let path = dir.join(name);
    fs::rename(&tmp, &path).map_err(io(&path))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

impl SyncHooks for StateDir {
    fn persist(&mut self, group: &Group) -> std::io::Result<()> {
        self.save(group).map_err(std::io::Error::other)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use gfms_ledger::GroupSettings;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gfms-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn group() -> Group {
        let settings = GroupSettings {
            name: "Flat".into(),
            currency: "EUR".into(),
            categories: Vec::new(),
            accounts: Vec::new(),
        };
        let relays = [
            "http://127.0.0.1:1".to_string(),
            "http://127.0.0.1:2".to_string(),
        ];
        Group::create(settings, "Alice", &relays, 2, 1).expect("a valid group")
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("exists").permissions().mode() & 0o777
    }

    /// Curious local user: the state holds the group secret; nobody else on the machine
    /// may read it, from the moment the directory and the file exist.
    #[test]
    fn curious_local_user_cannot_read_a_new_state_dir_or_file() {
        let root = scratch("private");
        let dir = StateDir::new(root.join("nested/flat"));
        dir.create(&group()).expect("saved");
        assert_eq!(mode(&root.join("nested/flat")), 0o700);
        assert_eq!(mode(&root.join("nested/flat").join(FILE)), 0o600);
        let _ = fs::remove_dir_all(&root);
    }

    /// Crash at any step (two writers): a write that would replace the saved state with
    /// less than it held — an empty document (what a failed save used to give), one that
    /// does not load, fewer events, another group — is refused, and the file on disk is
    /// left exactly as it was.
    #[test]
    fn crash_or_failed_save_never_replaces_a_state_with_less() {
        let root = scratch("shrink");
        let dir = StateDir::new(&root);
        let mut g = group();
        dir.create(&g).expect("saved");
        // A second CLI process loaded the group before this one's change was saved.
        let older = dir.load().expect("loads");
        g.rename_member(g.me(), "Alicia", 2).expect("renamed");
        dir.save(&g).expect("saved");
        let before = fs::read_to_string(root.join(FILE)).expect("file");
        assert!(dir.save(&older).is_err(), "an older copy with fewer events");
        assert_eq!(fs::read_to_string(root.join(FILE)).expect("file"), before);
        for doc in [
            String::new(),
            "{}".to_string(),
            group().save().expect("another group"),
        ] {
            assert!(dir.replace(&doc).is_err(), "refused: {:.40}", doc);
            assert_eq!(fs::read_to_string(root.join(FILE)).expect("file"), before);
        }
        // The same group with fewer events (an older copy of it).
        let fewer = {
            let mut v: serde_json::Value = serde_json::from_str(&before).expect("json");
            v["events"].as_array_mut().expect("events").pop();
            v.to_string()
        };
        assert!(matches!(
            dir.replace(&fewer),
            Err(StoreError::Refused { .. })
        ));
        assert_eq!(fs::read_to_string(root.join(FILE)).expect("file"), before);
        let _ = fs::remove_dir_all(&root);
    }

    /// Two writers (two CLI processes on one state directory): what this process
    /// remembers of the file it wrote is not taken for the file another process wrote
    /// since, so an older copy is still refused after the other's save.
    #[test]
    fn another_writers_save_is_read_by_the_guard_not_the_census_remembered() {
        let root = scratch("two-writers");
        let mine = StateDir::new(&root);
        let theirs = StateDir::new(&root);
        let mut g = group();
        mine.create(&g).expect("saved");
        let older = mine.load().expect("loads");
        mine.save(&older).expect("the same state again");
        g.rename_member(g.me(), "Alicia", 2).expect("renamed");
        theirs
            .save(&g)
            .expect("the other process saves one event more");
        let before = fs::read_to_string(root.join(FILE)).expect("file");
        assert!(
            matches!(mine.save(&older), Err(StoreError::Refused { .. })),
            "an older copy with fewer events than the file holds now"
        );
        assert_eq!(fs::read_to_string(root.join(FILE)).expect("file"), before);
        let _ = fs::remove_dir_all(&root);
    }

    /// Crash at any step: a temporary file left world-readable by an interrupted save is
    /// replaced, not written into, and the saved state is still private.
    #[test]
    fn crash_left_temporary_file_is_replaced_by_a_private_one() {
        let root = scratch("stale");
        fs::create_dir_all(&root).expect("dir");
        let tmp = root.join(format!(".{FILE}.tmp"));
        fs::write(&tmp, "half a state").expect("stale file");
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o644)).expect("chmod");
        let dir = StateDir::new(&root);
        dir.save(&group()).expect("saved");
        assert!(!tmp.exists());
        assert_eq!(mode(&root.join(FILE)), 0o600);
        assert!(dir.load().is_ok(), "the saved state loads");
        let _ = fs::remove_dir_all(&root);
    }
}
