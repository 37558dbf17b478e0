//! The command line: one file per subcommand. Library code never sees clap types.

mod branches;
mod completions;
mod diff;
mod dot;
mod explain;
mod generate;
mod lint;
mod lsp;
mod man;
mod output;
mod rules;
mod schema;
mod selection;
mod simulate;
mod staged;
mod test;
mod view;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::Failure;
use crate::load::Sources;

/// `--version`: taskgen's, and the definitions format it reads (`format_version` in config.yml).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (definitions format_version 1)");

/// Offline, in-tree CI graph generator and linter.
#[derive(Debug, Parser)]
#[command(name = "taskgen", version = VERSION, about, max_term_width = 100)]
pub struct Cli {
    /// The definitions root (holding `taskgraph/` and `branches/`); found by walking up from
    /// the current directory when not given.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Human output renders at most this many findings in full, then a count per code of the
    /// rest (`--format json`, `sarif` and `github` stay complete).
    #[arg(long, global = true, value_name = "N", default_value_t = output::DEFAULT_MAX_FINDINGS)]
    max_findings: usize,
    /// Jobs one graph may have; dependencies, template fuel and what all the graphs of one
    /// command may make together scale with it (docs/format.md#limits). The default keeps any
    /// tree within about a minute and 4 GB: raise it only for trees you trust.
    #[arg(long, global = true, value_name = "N", default_value_t = crate::budget::DEFAULT_MAX_JOBS as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_jobs: u64,
    /// Colour human output: `auto` on a terminal unless `NO_COLOR` is set (`CLICOLOR_FORCE`
    /// forces it), `always`, or `never`.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    color: output::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Expand the graph-of-graphs of one branch and trigger, and write it.
    Generate(generate::Args),
    /// Compare a branch's graph with another branch's, or with another git revision's.
    Diff(diff::Args),
    /// Draw the graph of one branch and trigger as Graphviz DOT.
    Dot(dot::Args),
    /// Explain one job: why it is there, what set each field.
    Explain(explain::Args),
    /// Check every branch and trigger, and report every finding.
    Lint(lint::Args),
    /// List the rules.
    Rules(rules::ListArgs),
    /// Print one rule's documentation.
    Rule(rules::ShowArgs),
    /// Run the graph tests of `taskgraph/tests/` against the branches they name.
    Test(test::Args),
    /// Play a graph: what runs, what is skipped and when it ends, given outcomes, approvals
    /// and durations.
    Simulate(simulate::Args),
    /// Write the graph as one self-contained HTML page to explore in a browser: groups,
    /// search, focus, each job's fields and where they were set, and a selection to copy.
    View(view::Args),
    /// List the branches and the triggers each defines, with their root graphs.
    Branches(branches::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the manual page (roff), or write one per command.
    Man(man::Args),
    /// Print or write the JSON Schema of each kind of file, for editors.
    Schema(schema::Args),
    /// Serve the Language Server Protocol on stdin and stdout: lint's diagnostics as you type,
    /// hover, go to definition, completion and code lenses from the expanded graph.
    Lsp(lsp::Args),
}

/// Exit codes: 0 success, 1 definitions with errors, 2 usage or unreadable input.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    output::set_max_findings(cli.max_findings);
    output::set_color(cli.color);
    crate::budget::set_max_jobs(usize::try_from(cli.max_jobs).unwrap_or(usize::MAX));
    let result = match cli.command {
        Command::Generate(args) => generate::run(cli.root.as_deref(), &args),
        Command::Lint(args) => lint::run(cli.root.as_deref(), &args),
        Command::Dot(args) => dot::run(cli.root.as_deref(), &args),
        Command::View(args) => view::run(cli.root.as_deref(), &args),
        Command::Diff(args) => diff::run(cli.root.as_deref(), &args),
        Command::Explain(args) => explain::run(cli.root.as_deref(), &args),
        Command::Rules(args) => rules::list(&args),
        Command::Rule(args) => rules::show(&args),
        Command::Test(args) => test::run(cli.root.as_deref(), &args),
        Command::Simulate(args) => simulate::run(cli.root.as_deref(), &args),
        Command::Branches(args) => branches::run(cli.root.as_deref(), &args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Schema(args) => schema::run(cli.root.as_deref(), &args),
        Command::Lsp(args) => lsp::run(cli.root.as_deref(), &args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => ExitCode::from(code),
    }
}

/// Finds and loads the definitions tree, reporting why it cannot.
fn load_tree(root_arg: Option<&std::path::Path>) -> Result<crate::load::Tree, u8> {
    load_tree_at(&generate::root(root_arg)?)
}

fn load_tree_at(root: &std::path::Path) -> Result<crate::load::Tree, u8> {
    crate::timings::time("load", || crate::load::load(root))
        .map_err(|e| report(&e.failure, &e.sources))
}

/// Prints a failure's diagnostics to stderr and gives its exit code.
fn report(failure: &Failure, sources: &Sources) -> u8 {
    let color = output::stderr_color();
    eprint!(
        "{}",
        crate::diag::render_capped(
            &failure.diagnostics,
            sources,
            color,
            output::width(),
            output::max_findings()
        )
    );
    let n = failure.diagnostics.len();
    eprintln!(
        "taskgen: {n} error{}; nothing was written",
        if n == 1 { "" } else { "s" }
    );
    if failure.unreadable {
        EXIT_INPUT
    } else {
        EXIT_FINDINGS
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn version_names_the_format_version_read() {
        let said = format!(
            "format_version {})",
            crate::defs::SUPPORTED_FORMAT_VERSIONS[0]
        );
        assert!(super::VERSION.ends_with(&said));
        assert_eq!(
            crate::defs::SUPPORTED_FORMAT_VERSIONS.len(),
            1,
            "say each one"
        );
    }
}
