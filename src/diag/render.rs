//! Rendering diagnostics for humans through miette. The source text is attached only here.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};

use super::{Diagnostic, Label, Severity};
use crate::load::{SourceFile, Sources};

/// A diagnostic with the sources it points into, ready for miette.
pub struct Report<'a> {
    diag: &'a Diagnostic,
    sources: &'a Sources,
    /// Secondary labels in other files than the primary one become related reports.
    related: Vec<RelatedLabel>,
}

impl<'a> Report<'a> {
    pub fn new(diag: &'a Diagnostic, sources: &'a Sources) -> Self {
        let primary_file = diag.primary.as_ref().map(|l| l.span.file);
        let related = diag
            .secondary
            .iter()
            .filter(|l| Some(l.span.file) != primary_file)
            .map(|l| RelatedLabel::new(l, sources.file(l.span.file)))
            .collect();
        Report {
            diag,
            sources,
            related,
        }
    }

    fn primary_file(&self) -> Option<&'a SourceFile> {
        self.diag
            .primary
            .as_ref()
            .map(|l| self.sources.file(l.span.file))
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::from(label.span.start as usize..label.span.end as usize);
    let text = (!label.text.is_empty()).then(|| label.text.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.diag.code.id, self.diag.code.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let branches = (!self.diag.branches.is_empty()).then(|| {
            format!(
                "in {}: {}",
                if self.diag.branches.len() == 1 {
                    "branch"
                } else {
                    "branches"
                },
                self.diag.branches.join(", ")
            )
        });
        match (&self.diag.help, branches) {
            (Some(h), Some(b)) => Some(Box::new(format!("{h}\n{b}"))),
            (Some(h), None) => Some(Box::new(h)),
            (None, Some(b)) => Some(Box::new(b)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.primary_file().map(|f| &f.named as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.diag.primary.as_ref()?;
        let same_file = self
            .diag
            .secondary
            .iter()
            .filter(move |l| l.span.file == primary.span.file)
            .map(|l| labeled(l, false));
        Some(Box::new(
            std::iter::once(labeled(primary, true)).chain(same_file),
        ))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// A secondary label that lives in another file than the primary one.
#[derive(Debug)]
struct RelatedLabel {
    text: String,
    span: LabeledSpan,
    source: NamedSource<std::sync::Arc<str>>,
}

impl RelatedLabel {
    fn new(label: &Label, file: &SourceFile) -> Self {
        RelatedLabel {
            text: label.text.clone(),
            span: labeled(label, true),
            source: file.named.clone(),
        }
    }
}

impl fmt::Display for RelatedLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for RelatedLabel {}

impl miette::Diagnostic for RelatedLabel {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let mut span = self.span.clone();
        span.set_label(None);
        Some(Box::new(std::iter::once(span)))
    }
}

/// Renders one diagnostic; `color` for terminals, plain Unicode for files and snapshots.
pub fn render_to_string(diag: &Diagnostic, sources: &Sources, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    let report = Report::new(diag, sources);
    if handler.render_report(&mut out, &report).is_err() {
        out = format!("{}: {}\n", diag.code.id, diag.message);
    }
    out
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(diags: &[Diagnostic], sources: &Sources, color: bool, width: usize) -> String {
    diags
        .iter()
        .map(|d| render_to_string(d, sources, color, width))
        .collect::<Vec<_>>()
        .join("\n")
}
