//! Graph instances: a graph template placed as the root or by an include, with its
//! parameters, and the includes it makes in turn (cycles, depth and instance limits).

use std::sync::Arc;

use indexmap::IndexMap;

use super::params::{Given, bind};
use super::{
    Expander, GraphInstance, MAX_GRAPHS, MAX_INCLUDE_DEPTH, Need, given_params, label, needs,
};
use crate::budget::Kind;
use crate::defs::Include;
use crate::defs::keys::Spanned;
use crate::diag::{self, Diagnostic};
use crate::load::Span;
use crate::render::{Scope, fuel};

impl<'t> Expander<'_, '_, 't> {
    #[expect(
        clippy::too_many_arguments,
        reason = "one call site per kind of graph entry"
    )]
    pub(super) fn graph(
        &mut self,
        name: &Spanned<String>,
        path: String,
        active: bool,
        parent: Option<usize>,
        given: &IndexMap<String, Given>,
        site: Span,
        needs: Vec<Need>,
        inactive_by: Option<Span>,
    ) {
        let defs = self.defs;
        let Some(graph) = defs.graphs.get(&name.value) else {
            let known = defs.graphs.keys().map(String::as_str).collect();
            let d = self.unknown("graph", name, known, diag::UNKNOWN_GRAPH);
            self.sink.push(d);
            return;
        };
        if let Some(pos) = self.stack.iter().position(|(g, _)| *g == name.value) {
            self.include_cycle(pos, name);
            return;
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.sink.push(
                Diagnostic::error(
                    diag::INCLUDE_DEPTH,
                    format!("includes nest deeper than {MAX_INCLUDE_DEPTH} graphs"),
                )
                .at(site, "this include is too deep")
                .help("flatten the chain of includes"),
            );
            return;
        }
        let too_many_jobs = self.jobs_so_far() + 2 > self.share.limits.jobs;
        if self.out.graphs.len() >= MAX_GRAPHS || too_many_jobs {
            if !self.stopped {
                let specific = "include fewer graphs, or include them fewer times";
                let (message, help) = if too_many_jobs {
                    (
                        self.share.over(Kind::Jobs),
                        self.share.help(Kind::Jobs, specific),
                    )
                } else {
                    (
                        format!("the graph has more than {MAX_GRAPHS} subgraphs"),
                        specific.to_owned(),
                    )
                };
                self.sink.push(
                    Diagnostic::error(diag::EXPANSION_LIMIT, message)
                        .at(site, "expansion stopped here")
                        .help(help),
                );
            }
            self.stopped = true;
            return;
        }
        let owner = format!("graph `{}`", name.value);
        let bound = bind(&graph.params, given, &owner, site, &mut self.sink);
        let scope = self.root.with(bound);
        let index = self.out.graphs.len();
        self.out.graphs.push(GraphInstance {
            path: path.clone(),
            template: name.value.clone(),
            active,
            parent,
            site,
            needs,
            inactive_by,
            touch: None,
        });
        self.stack.push((name.value.clone(), site));
        for node in &graph.nodes {
            if self.stopped || self.jobs_so_far() > self.share.limits.jobs || fuel::check().is_err()
            {
                break;
            }
            if let Err(d) = self.node(index, node, &scope, active) {
                // Say which include produced the value, when the graph is a subgraph.
                let d = match parent {
                    Some(_) if d.primary.as_ref().is_some_and(|p| p.span != site) => d.also(
                        site,
                        format!("graph `{}` is included here, as `{path}`", name.value),
                    ),
                    _ => d,
                };
                self.sink.push(d);
            }
        }
        for inc in &graph.includes {
            if self.stopped || fuel::check().is_err() {
                break;
            }
            if let Err(d) = self.include(index, &path, inc, &scope, active) {
                self.sink.push(d);
            }
        }
        self.stack.pop();
    }

    pub(super) fn include_cycle(&mut self, pos: usize, name: &Spanned<String>) {
        let mut chain: Vec<&str> = self.stack[pos..].iter().map(|(g, _)| g.as_str()).collect();
        chain.push(&name.value);
        let mut d = Diagnostic::error(
            diag::INCLUDE_CYCLE,
            format!(
                "graphs include each other in a cycle: {}",
                chain.join(" → ")
            ),
        )
        .at(
            name.span,
            format!("`{}` is included again here", name.value),
        )
        .help("a graph cannot include itself, directly or through other graphs");
        for (g, span) in &self.stack[pos + 1..] {
            d = d.also(*span, format!("`{g}` included here"));
        }
        self.sink.push(d);
    }

    pub(super) fn include(
        &mut self,
        parent: usize,
        path: &str,
        inc: &'t Include,
        scope: &Arc<Scope>,
        active: bool,
    ) -> Result<(), Diagnostic> {
        let r = self.r;
        if let Some(when) = &inc.when
            && !r.render_bool(when, scope, "`when`")?
        {
            return Ok(());
        }
        let own_active = match &inc.active {
            Some(a) => r.render_bool(a, scope, "`active`")?,
            None => true,
        };
        let touch = match &inc.files_changed {
            Some(f) => Some(super::changed::touch(f, self.changed)?),
            None => None,
        };
        let segment = match &inc.name {
            Some(n) => r.render_text(n, scope)?,
            None => inc.graph.value.clone(),
        };
        let segment_at = inc.name.as_ref().map_or(inc.graph.span, |n| n.span);
        label::check(&segment, "graph path segment", segment_at)?;
        let given = given_params(r, inc.params.as_ref(), scope)?;
        let needs = match &inc.needs {
            Some(n) => needs::render_needs(r, n, scope)?,
            None => Vec::new(),
        };
        let runs = touch.as_ref().is_none_or(super::changed::Touch::runs);
        let at = self.out.graphs.len();
        self.graph(
            &inc.graph,
            format!("{path}/{segment}"),
            active && own_active && runs,
            Some(parent),
            &given,
            inc.span.span,
            needs,
            inc.active.as_ref().filter(|_| !own_active).map(|a| a.span),
        );
        if let Some(g) = self.out.graphs.get_mut(at) {
            g.touch = touch;
        }
        Ok(())
    }
}
