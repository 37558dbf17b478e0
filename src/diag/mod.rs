//! Findings as data: one `Diagnostic` type for every error and warning taskgen reports,
//! rendered for humans through miette (see `render`).

mod codes;
mod escape;
mod merge;
mod render;

pub use codes::*;
pub use escape::escape;
pub use merge::merge;
pub use render::{Report, render_all, render_capped, render_to_string};

use crate::load::Span;

/// Names as a message lists them: "`a`, `b`, `c`".
pub fn backticked<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A stable identifier: `TG###` plus a kebab-case rule name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
}

/// A place in a definitions file, with what to say about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One finding: what is wrong, where, and what to do about it. Boxed, so that the `Result`s
/// of the hot rendering path stay one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic(Box<Finding>);

/// The contents of a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The branches whose expansion produced this finding (lint); empty when not known.
    pub branches: Vec<String>,
}

impl std::ops::Deref for Diagnostic {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    fn deref_mut(&mut self) -> &mut Finding {
        &mut self.0
    }
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic(Box::new(Finding {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            branches: Vec::new(),
        }))
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        let mut d = Self::error(code, message);
        d.severity = Severity::Warning;
        d
    }

    /// The place that must change.
    #[must_use]
    pub fn at(mut self, span: Span, text: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Another place involved (the first definition of a duplicate, the include that got here).
    #[must_use]
    pub fn also(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Fatal errors of one run: every diagnostic found before the pipeline had to stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    /// Input that could not be read (exit 2) rather than definitions that are wrong (exit 1).
    pub unreadable: bool,
}

impl Failure {
    /// A usage error or input that cannot be read (exit 2).
    pub fn usage(d: Diagnostic) -> Self {
        Failure {
            diagnostics: vec![d],
            unreadable: true,
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure {
            diagnostics: vec![d],
            unreadable: false,
        }
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Failure {
            diagnostics,
            unreadable: false,
        }
    }
}

/// Collects diagnostics, so that a stage reports every problem it finds, not just the first.
#[derive(Debug, Default)]
pub struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Keeps the value, or records the error and gives `None`.
    pub fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.push(d)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// `Ok(value)` when nothing was recorded; each distinct diagnostic once otherwise (a graph
    /// included twice must not report the same mistake twice).
    pub fn finish<T>(self, value: T) -> Result<T, Failure> {
        if self.diagnostics.is_empty() {
            return Ok(value);
        }
        // A set in first-seen order: linear in the number of findings.
        let unique: indexmap::IndexSet<Diagnostic> = self.diagnostics.into_iter().collect();
        Err(unique.into_iter().collect::<Vec<_>>().into())
    }
}
