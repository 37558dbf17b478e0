//! Where output goes: stdout, or a file written atomically.

use std::io::{IsTerminal, Write};
use std::path::Path;

/// Colour on stderr only for a terminal, and never with `NO_COLOR` set.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Width for rendered diagnostics: `COLUMNS` when set, else 100.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

/// Writes `text` to `path` through a temporary file in the same directory, renamed into place
/// only when complete: a reader never sees half a file, and a failed run leaves the old one.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes to `-o FILE` or stdout.
pub fn emit(out: Option<&Path>, text: &str) -> Result<(), u8> {
    let result = match out {
        Some(path) => {
            write_atomic(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .or_else(|e| {
                    // A reader that stopped early (`| head`) is not an error.
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    };
    result.map_err(|why| {
        eprintln!("taskgen: {why}");
        super::EXIT_INPUT
    })
}
