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

    /// Replaces the saved group atomically.
    pub fn save(&self, group: &Group) -> Result<(), StoreError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let tmp = self.dir.join(format!(".{FILE}.tmp"));
        {
            let mut f = fs::File::create(&tmp).map_err(io(&tmp))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                // The file holds the group secret.
                let _ = f.set_permissions(fs::Permissions::from_mode(0o600));
            }
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

impl SyncHooks for StateDir {
    fn persist(&mut self, group: &Group) -> std::io::Result<()> {
        self.save(group).map_err(std::io::Error::other)
    }
}
