//! Rendering diagnostics for humans through miette. The source text is attached only here.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, Label, Severity, escape};
use crate::load::{SourceFile, Sources};

/// A diagnostic with the sources it points into, ready for miette.
pub struct Report<'a> {
    diag: &'a Diagnostic,
    sources: &'a Sources,
    /// Secondary labels in other files than the primary one become related reports.
    related: Vec<RelatedLabel<'a>>,
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
        f.write_str(&escape(&self.diag.message, false))
    }
}

impl std::error::Error for Report<'_> {}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::from(label.span.start as usize..label.span.end as usize);
    let text = (!label.text.is_empty()).then(|| escape(&label.text, false).into_owned());
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
        let help = self.diag.help.as_deref().map(|h| escape(h, true));
        match (help, branches) {
            (Some(h), Some(b)) => Some(Box::new(format!("{h}\n{b}"))),
            (Some(h), None) => Some(Box::new(h.into_owned())),
            (None, Some(b)) => Some(Box::new(b)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.primary_file().map(|f| f as &dyn SourceCode)
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

/// miette reads a snippet by scanning its source from the first byte, which makes rendering
/// many findings in one large file quadratic. A source file knows where its lines start: the
/// snippet is read from a window of lines around the span, with miette's own reader, and
/// placed back at its line in the file, so the output is the same and each finding costs
/// only its own lines.
impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // Two lines of margin each side keep miette's view of line boundaries unchanged.
        let first = self.line_of(start).saturating_sub(before + 2);
        let last = self.line_of(end) + after + 3;
        let (from, to) = (
            self.line_start(first),
            self.line_start(last).min(text.len()),
        );
        let window = &text[from..to];
        let shifted = SourceSpan::from((start - from, span.len()));
        let c = <[u8] as SourceCode>::read_span(window, &shifted, before, after)?;
        let data = c.data();
        let offset = from + c.span().offset();
        Ok(Box::new(MietteSpanContents::new_named(
            escape(&self.path, false).into_owned(),
            data,
            SourceSpan::from((offset, data.len())),
            c.line() + first,
            c.column(),
            c.line_count() + first,
        )))
    }
}

/// A secondary label that lives in another file than the primary one.
struct RelatedLabel<'a> {
    text: String,
    span: LabeledSpan,
    source: &'a SourceFile,
}

impl fmt::Debug for RelatedLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'a> RelatedLabel<'a> {
    fn new(label: &Label, file: &'a SourceFile) -> Self {
        RelatedLabel {
            text: escape(&label.text, false).into_owned(),
            span: labeled(label, true),
            source: file,
        }
    }
}

impl fmt::Display for RelatedLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for RelatedLabel<'_> {}

impl miette::Diagnostic for RelatedLabel<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
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

/// Renders the first `max` diagnostics in full, then how many more there are of each code:
/// the cost is bounded whatever the number of findings (the machine formats stay complete).
pub fn render_capped(
    diags: &[Diagnostic],
    sources: &Sources,
    color: bool,
    width: usize,
    max: usize,
) -> String {
    let shown = diags.len().min(max);
    let mut out = render_all(&diags[..shown], sources, color, width);
    if let Some(rest) = more(&diags[shown..]) {
        out.push_str(&rest);
    }
    out
}

/// "N more findings not shown", with the count per code.
fn more(rest: &[Diagnostic]) -> Option<String> {
    if rest.is_empty() {
        return None;
    }
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for d in rest {
        *counts.entry((d.code.id, d.code.name)).or_default() += 1;
    }
    let per_code: Vec<String> = counts
        .iter()
        .map(|((id, name), n)| format!("{n} {id}({name})"))
        .collect();
    Some(format!(
        "\n... and {} more finding{} not shown ({}); `--max-findings N` shows more, `--format json` all\n",
        rest.len(),
        if rest.len() == 1 { "" } else { "s" },
        per_code.join(", ")
    ))
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(diags: &[Diagnostic], sources: &Sources, color: bool, width: usize) -> String {
    diags
        .iter()
        .map(|d| render_to_string(d, sources, color, width))
        .collect::<Vec<_>>()
        .join("\n")
}
