//! Stage 7, emit: the generated graph written in its output formats.

pub mod dot;
mod native;
pub(crate) mod pretty;
pub mod taskcluster;

pub use native::{FORMAT_VERSION, labels, write_native_json};
