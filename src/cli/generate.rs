//! `taskgen generate`: the decision step's command.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::output;
use crate::emit::taskcluster;
use crate::load;
use crate::pipeline;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// The native JSON format (docs/output.md).
    Json,
    /// One label per line, in topological order.
    Labels,
    /// Taskcluster task definitions, label → entry, in submission order (docs/output.md).
    Taskcluster,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::selection::Target,
    /// A YAML or JSON file of run parameters (as written by a decision step).
    #[arg(long = "params", value_name = "FILE")]
    params_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to FILE (atomically, only on success) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Taskcluster: derive taskIds from this seed (random when not given).
    #[arg(long, value_name = "SEED")]
    task_id_seed: Option<String>,
    /// Taskcluster: the creation time, UTC (`2025-01-01T00:00:00Z`); default: the clock.
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    now: Option<i64>,
    /// Taskcluster: also write the inactive jobs, in the same shape, to FILE.
    #[arg(long, value_name = "FILE")]
    inactive_out: Option<PathBuf>,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

fn parse_now(s: &str) -> Result<i64, String> {
    crate::time::parse(s)
}

/// Finds the definitions root: `--root`, or walking up from the current directory.
pub fn root(given: Option<&Path>) -> Result<PathBuf, u8> {
    if let Some(root) = given {
        return Ok(root.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| {
        eprintln!("taskgen: cannot read the current directory: {e}");
        super::EXIT_INPUT
    })?;
    load::find_root(&cwd).ok_or_else(|| {
        eprintln!(
            "taskgen: no definitions root: no `{}` in `{}` or any parent; pass --root DIR",
            load::CONFIG,
            cwd.display()
        );
        super::EXIT_INPUT
    })
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let mut tree = super::load_tree(root_arg)?;
    let mut request = args.selection.request(&args.target);
    request.params_file = args.params_file.clone();
    if args.inactive_out.is_some() && !matches!(args.format, Format::Taskcluster) {
        eprintln!("taskgen: --inactive-out goes with --format taskcluster");
        return Err(super::EXIT_INPUT);
    }
    let report = |f: &crate::diag::Failure, tree: &load::Tree| super::report(f, &tree.sources);
    let out = args.output.as_deref();
    match args.format {
        Format::Taskcluster => {
            let opts = taskcluster::Options {
                seed: args
                    .task_id_seed
                    .clone()
                    .unwrap_or_else(taskcluster::slugid::random_seed),
                now_ms: args.now.unwrap_or_else(crate::time::now_ms),
            };
            let pipeline::Run {
                generated,
                settings,
                ..
            } = pipeline::run(&mut tree, &request).map_err(|f| report(&f, &tree))?;
            generated.notes.iter().for_each(|n| eprintln!("{n}"));
            let tc = crate::timings::time("taskcluster", || {
                taskcluster::lower(&generated, &settings, &opts)
            })
            .map_err(|f| report(&f, &tree))?;
            // Both outputs are written in full before either is put in place.
            let written = crate::timings::time("write", || {
                let inactive = match &args.inactive_out {
                    Some(path) => Some(output::stage(path, &mut |w| tc.write_inactive(w))?),
                    None => None,
                };
                let mut staged = Vec::new();
                match out {
                    Some(path) => staged.push(output::stage(path, &mut |w| tc.write_active(w))?),
                    None => output::emit_with(None, &mut |w| tc.write_active(w))?,
                }
                staged.extend(inactive);
                output::commit(staged)
            });
            drop(tc);
            finish(generated);
            written
        }
        Format::Json | Format::Labels => {
            let generated =
                pipeline::generate(&mut tree, &request).map_err(|f| report(&f, &tree))?;
            generated.notes.iter().for_each(|n| eprintln!("{n}"));
            let written = crate::timings::time("write", || match args.format {
                Format::Json => {
                    output::emit_with(out, &mut |w| crate::emit::write_native_json(&generated, w))
                }
                _ => output::emit(out, &crate::emit::labels(&generated)),
            });
            finish(generated);
            written
        }
    }
}

/// Ends a run without freeing the graph one allocation at a time: the process is about to
/// exit, and for a large graph the freeing alone took a tenth of the run.
fn finish(generated: pipeline::Generated) {
    std::mem::forget(generated);
}
