//! Stage 1, load: definitions files to spanned YAML trees.

pub mod git;
mod node;
mod source;
mod tree;
mod yaml;

pub use self::git::changed_since;
pub use node::{Entry, Map, Node, Value};
pub use source::{FileId, SourceFile, Sources, Span};
pub use tree::{
    CONFIG, Doc, LoadFailure, Overlay, Tree, file_start, find_root, load, load_dir, load_extra,
    load_text, load_with, read_text,
};
pub use yaml::{Limits, parse};

/// The hasher of the definitions' maps, which are read on every job: far faster than SipHash
/// on short keys, and still seeded per process. Iteration order is insertion order either way.
pub type FastHash = foldhash::fast::RandomState;
