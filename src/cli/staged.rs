//! The output files of one run (`-o`, `--inactive-out`), each written in full to a temporary
//! file first and put in place only once every one of them was written, so that a failed or
//! interrupted run leaves what was there before.
//!
//! - A regular file (or a new path) is replaced by renaming a temporary file of the same
//!   directory over it; the replacement keeps the old file's mode, and a new file gets
//!   `0666` less the umask, as any program's would.
//! - Anything else (`/dev/stdout`, `/dev/null`, a FIFO, a symlink) is written to directly, as
//!   `>` in a shell would: it is never replaced by a regular file.
//! - Temporary files are named `.taskgen-tmp-*` and removed on SIGINT, SIGTERM and SIGHUP.

use std::fs::{self, File, Permissions};
use std::io::{self, Seek, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use tempfile::NamedTempFile;

use super::output::Writer;

/// Temporary files that exist now, removed if a signal ends the run.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn on_signal_remove_temporaries() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if let Ok(live) = LIVE.lock() {
                live.iter().for_each(|p| {
                    let _ = fs::remove_file(p);
                });
            }
            std::process::exit(130);
        });
    });
}

fn forget(path: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|p| p != path);
    }
}

/// One output, written and waiting to be put in place.
pub struct Staged {
    tmp: NamedTempFile,
    target: PathBuf,
    /// Written to directly (not a regular file), rather than replaced.
    direct: bool,
    /// The mode of the regular file it replaces.
    mode: Option<Permissions>,
}

/// Writes one output to a temporary file.
pub fn stage(path: &Path, write: Writer) -> io::Result<Staged> {
    on_signal_remove_temporaries();
    let existing = fs::symlink_metadata(path).ok();
    let direct = existing.as_ref().is_some_and(|m| !m.file_type().is_file());
    let dir = match path.parent() {
        _ if direct => std::env::temp_dir(),
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".taskgen-tmp-{name}-"))
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)?;
    if let Ok(mut live) = LIVE.lock() {
        live.push(tmp.path().to_path_buf());
    }
    {
        let mut buffered = io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    Ok(Staged {
        tmp,
        target: path.to_path_buf(),
        direct,
        mode: existing
            .filter(|m| m.file_type().is_file())
            .map(|m| m.permissions()),
    })
}

impl Staged {
    /// Puts the output in place.
    fn commit(self) -> io::Result<()> {
        let Staged {
            tmp,
            target,
            direct,
            mode,
        } = self;
        let tmp_path = tmp.path().to_path_buf();
        let result = if direct {
            let mut from = tmp.reopen()?;
            from.rewind()?;
            let mut to = File::options()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&target)?;
            io::copy(&mut from, &mut to).map(|_| ())
        } else {
            tmp.as_file().sync_all()?;
            if let Some(mode) = mode {
                tmp.as_file().set_permissions(mode)?;
            }
            tmp.persist(&target).map(|_| ()).map_err(|e| e.error)
        };
        forget(&tmp_path);
        result
    }
}

/// Puts every staged output in place, in order; names the one that could not be.
pub fn commit(all: Vec<Staged>) -> Result<(), String> {
    for s in all {
        let target = s.target.clone();
        s.commit()
            .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
    }
    Ok(())
}
