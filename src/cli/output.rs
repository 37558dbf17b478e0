//! Where output goes: stdout, or a file put in place only when complete (`staged`).

use std::io::{IsTerminal, Write};
use std::path::Path;

/// `--color`: when human output is coloured.
#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; `CLICOLOR_FORCE` forces it.
    #[default]
    Auto,
    Always,
    Never,
}

static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

pub fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Colour for a stream that is (or is not) a terminal: `--color`, then `NO_COLOR` and
/// `CLICOLOR_FORCE` (no-color.org, bixense.com/clicolors), each counted only when not empty.
fn color(terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto => set("CLICOLOR_FORCE") || terminal,
    }
}

pub fn stderr_color() -> bool {
    color(std::io::stderr().is_terminal())
}

pub fn stdout_color() -> bool {
    color(std::io::stdout().is_terminal())
}

/// Width for rendered diagnostics: `COLUMNS` when set, else 100.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

static MAX_FINDINGS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// `--max-findings`: how many findings human output renders in full.
pub fn set_max_findings(n: usize) {
    let _ = MAX_FINDINGS.set(n);
}

pub fn max_findings() -> usize {
    MAX_FINDINGS.get().copied().unwrap_or(DEFAULT_MAX_FINDINGS)
}

pub const DEFAULT_MAX_FINDINGS: usize = 200;

/// What writes an output, to a file or stdout.
pub type Writer<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

/// Writes one output of several to a temporary file (`staged`), reporting why it cannot.
pub fn stage(path: &Path, write: Writer) -> Result<super::staged::Staged, u8> {
    super::staged::stage(path, write).map_err(|e| {
        eprintln!("taskgen: cannot write `{}`: {e}", path.display());
        super::EXIT_INPUT
    })
}

/// Puts staged outputs in place.
pub fn commit(all: Vec<super::staged::Staged>) -> Result<(), u8> {
    super::staged::commit(all).map_err(|why| {
        eprintln!("taskgen: {why}");
        super::EXIT_INPUT
    })
}

/// Writes `text` to `-o FILE` or stdout.
pub fn emit(out: Option<&Path>, text: &str) -> Result<(), u8> {
    emit_with(out, &mut |w| w.write_all(text.as_bytes()))
}

/// Writes what `write` writes to `-o FILE` (atomically) or stdout, buffered.
pub fn emit_with(out: Option<&Path>, write: Writer) -> Result<(), u8> {
    let result = match out {
        Some(path) => super::staged::stage(path, write)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
            .and_then(|s| super::staged::commit(vec![s])),
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut stdout)
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
