//! `taskgen man`: the manual pages (roff), from the clap definition.

use std::path::PathBuf;

use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write `taskgen.1` and one `taskgen-COMMAND.1` per subcommand into DIR, instead of
    /// `taskgen.1` on stdout.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

fn page(cmd: clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd).render(&mut out);
    out
}

pub fn run(args: &Args) -> Result<(), u8> {
    let cmd = super::Cli::command();
    let Some(dir) = &args.out_dir else {
        return super::output::emit(None, &String::from_utf8_lossy(&page(cmd)));
    };
    let mut pages = vec![("taskgen".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("taskgen-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("taskgen: cannot create `{}`: {e}", dir.display());
        return Err(super::EXIT_INPUT);
    }
    for (name, cmd) in pages {
        let path = dir.join(format!("{name}.1"));
        super::output::emit(Some(&path), &String::from_utf8_lossy(&page(cmd)))?;
    }
    Ok(())
}
