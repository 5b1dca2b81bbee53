//! The CLI's state directory: one group per directory, in `group.json`, replaced
//! atomically (write a temporary file, fsync, rename), so a crash or an error never
//! leaves a half-written state.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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
}

/// A state directory.
#[derive(Debug, Clone)]
pub struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    /// The directory (created on first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
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

    /// Replaces the saved group atomically. The directory is private (0700) and the file
    /// is created private (0600): it holds the group secret, so it is never readable by
    /// others, not even between its creation and a later chmod.
    pub fn save(&self, group: &Group) -> Result<(), StoreError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        private_dir(&self.dir).map_err(io(&self.dir))?;
        let tmp = self.dir.join(format!(".{FILE}.tmp"));
        // A temporary file left by a crash may have any mode: start afresh.
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&tmp)(e)),
            _ => {}
        }
        {
            let mut f = private_file(&tmp).map_err(io(&tmp))?;
            f.write_all(group.save().as_bytes()).map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
        }
        fs::rename(&tmp, self.file()).map_err(io(&self.file()))?;
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
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
