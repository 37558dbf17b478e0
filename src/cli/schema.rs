//! `taskgen schema`: the JSON Schema of each kind of file, for editors (docs/editors.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::builder::TypedValueParser;
use indexmap::IndexMap;

use crate::schema::{self, Kind};

/// The kinds as clap values, each with its title as help: the names are `Kind`'s own.
fn kind_parser() -> impl TypedValueParser<Value = Kind> {
    let values = Kind::ALL.map(|k| clap::builder::PossibleValue::new(k.name()).help(k.title()));
    clap::builder::PossibleValuesParser::new(values)
        .map(|name| Kind::parse(&name).expect("clap accepts only the kinds' names"))
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kinds of file; all of them when none is named. One kind prints on stdout unless
    /// `-o` is given.
    #[arg(value_parser = kind_parser(), value_name = "KIND")]
    kinds: Vec<Kind>,
    /// Write `taskgen-KIND.schema.json` per kind into DIR.
    #[arg(short = 'o', long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

fn text(kind: Kind, params: &IndexMap<String, crate::defs::ParamDecl>) -> String {
    let mut text =
        serde_json::to_string_pretty(&schema::schema(kind, params)).expect("a schema serializes");
    text.push('\n');
    text
}

/// The run parameters the tree declares; what could be read of them when it has errors.
fn declared_params(
    root_arg: Option<&Path>,
) -> Result<IndexMap<String, crate::defs::ParamDecl>, u8> {
    let tree = super::load_tree(root_arg)?;
    let (defs, diagnostics) = crate::defs::read_all(&tree);
    if diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        eprintln!(
            "taskgen: note: the definitions have errors (`taskgen lint` shows them); the params \
             schema holds the parameters that could be read"
        );
    }
    Ok(defs.config.parameters)
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    // Each kind once, in the usual order.
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| args.kinds.is_empty() || args.kinds.contains(k))
        .collect();
    let params = if kinds.contains(&Kind::Params) {
        declared_params(root_arg)?
    } else {
        IndexMap::new()
    };
    let Some(dir) = &args.out_dir else {
        if let [kind] = kinds[..] {
            return super::output::emit(None, &text(kind, &params));
        }
        eprintln!("taskgen: name one KIND to print, or give `-o DIR` to write several");
        return Err(super::EXIT_INPUT);
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("taskgen: cannot create `{}`: {e}", dir.display());
        return Err(super::EXIT_INPUT);
    }
    // All or nothing: every schema is staged before any is put in place.
    let mut staged = Vec::new();
    for kind in kinds {
        let path = dir.join(kind.file_name());
        let body = text(kind, &params);
        let s = super::staged::stage(&path, &mut |w: &mut dyn Write| w.write_all(body.as_bytes()))
            .map_err(|e| {
                eprintln!("taskgen: cannot write `{}`: {e}", path.display());
                super::EXIT_INPUT
            })?;
        staged.push(s);
    }
    super::staged::commit(staged).map_err(|why| {
        eprintln!("taskgen: {why}");
        super::EXIT_INPUT
    })
}
