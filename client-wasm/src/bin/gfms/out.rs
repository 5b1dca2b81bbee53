//! Standard output that a closed pipe cannot crash. `println!` panics when the reader
//! went away (`gfms list --json | head -1`); here the first broken pipe silences later
//! output and the command still finishes its work (and its save), then exits quietly.
//! Any other write error is kept and reported when the command ends.

use std::io::{self, Write};
use std::sync::Mutex;

/// `None`: writing; `Some(None)`: the reader closed the pipe; `Some(Some(e))`: failed.
static STOPPED: Mutex<Option<Option<String>>> = Mutex::new(None);

/// Writes to standard output, unless it was closed or broke before.
pub fn write(args: std::fmt::Arguments) {
    let Ok(mut stopped) = STOPPED.lock() else {
        return;
    };
    if stopped.is_some() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        *stopped = Some((e.kind() != io::ErrorKind::BrokenPipe).then(|| e.to_string()));
    }
}

/// Writes raw bytes to standard output (a receipt), unless it was closed or broke.
pub fn write_bytes(bytes: &[u8]) {
    let Ok(mut stopped) = STOPPED.lock() else {
        return;
    };
    if stopped.is_some() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        *stopped = Some((e.kind() != io::ErrorKind::BrokenPipe).then(|| e.to_string()));
    }
}

/// A write error other than a closed pipe, if there was one.
pub fn failure() -> Option<String> {
    STOPPED.lock().ok().and_then(|s| s.clone().flatten())
}

/// `println!` through [`write`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through [`write`].
macro_rules! say_raw {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*))
    };
}

pub(crate) use {say, say_raw};
