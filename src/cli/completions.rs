//! `taskgen completions SHELL`: a completion script for the shell, from the clap definition.

use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete in.
    shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> Result<(), u8> {
    let mut script = Vec::new();
    clap_complete::generate(
        args.shell,
        &mut super::Cli::command(),
        "taskgen",
        &mut script,
    );
    super::output::emit(None, &String::from_utf8_lossy(&script))
}
