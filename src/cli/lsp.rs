//! `taskgen lsp`: the language server (docs/editors.md).

use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(root_arg: Option<&Path>, _args: &Args) -> Result<(), u8> {
    // The client names the workspace; `--root` (or the current directory's tree) is used
    // when it holds no definitions.
    let fallback = match root_arg {
        Some(root) => Some(root.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::load::find_root(&d)),
    };
    crate::lsp::serve(fallback).map_err(|e| {
        eprintln!("taskgen lsp: {e}");
        super::EXIT_INPUT
    })
}
