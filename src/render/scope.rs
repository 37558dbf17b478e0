//! What a template sees: `branch`, `params` (the run's), and the variables of its place.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minijinja::Value;
use minijinja::value::{Enumerator, Object};

use crate::load::FastHash;

/// Variables visible to one template evaluation. Cheap to extend: a child shares its parent.
#[derive(Debug)]
pub struct Scope {
    parent: Option<Arc<Scope>>,
    vars: Vec<(String, Value)>,
    /// Whether this scope or a parent rebinds `branch` or `params` (a matrix or parameter of
    /// that name), so that they are not the run's.
    shadows_run: bool,
    /// The values of nodes that do not read `chunk` or `total_chunks`, rendered in one of this
    /// scope's chunk scopes: the same in all of them.
    memo: Option<Memo>,
    /// A chunk scope: its parent's variables and `chunk`, `total_chunks`.
    chunk: bool,
    /// The outermost scope, where `branch` and `params` are found without walking the chain
    /// (the commonest lookups); `None` in the outermost scope itself.
    root: Option<Arc<Scope>>,
}

/// Renders remembered by node address.
pub type Memo = Mutex<HashMap<usize, Rendered, FastHash>>;

/// A node's value and its JSON, each kept once computed, with the fuel it cost.
#[derive(Debug, Default)]
pub struct Rendered {
    pub value: Option<(Value, u64)>,
    pub json: Option<(serde_json::Value, u64)>,
}

/// The variables a chunk scope adds.
pub const CHUNK_VARIABLES: [&str; 2] = ["chunk", "total_chunks"];

impl Scope {
    /// The outermost scope of a run: `branch` and `params`.
    pub fn root(branch: Value, params: Value) -> Arc<Scope> {
        Arc::new(Scope {
            parent: None,
            vars: vec![("branch".into(), branch), ("params".into(), params)],
            shadows_run: false,
            memo: None,
            chunk: false,
            root: None,
        })
    }

    /// A child scope with more variables; later ones shadow earlier ones.
    pub fn with(self: &Arc<Self>, vars: impl IntoIterator<Item = (String, Value)>) -> Arc<Scope> {
        let vars: Vec<(String, Value)> = vars.into_iter().collect();
        let shadows_run =
            self.shadows_run || vars.iter().any(|(k, _)| k == "branch" || k == "params");
        Arc::new(Scope {
            parent: Some(self.clone()),
            vars,
            shadows_run,
            memo: None,
            chunk: false,
            root: Some(self.outermost()),
        })
    }

    /// The scopes of a node combination's chunks: `chunk` and `total_chunks` on top of this
    /// scope, with what does not depend on them rendered once for all chunks.
    pub fn chunks(self: &Arc<Self>) -> Arc<Scope> {
        Arc::new(Scope {
            parent: Some(self.clone()),
            vars: Vec::new(),
            shadows_run: self.shadows_run,
            memo: Some(Mutex::default()),
            chunk: false,
            root: Some(self.outermost()),
        })
    }

    /// One chunk's scope: `chunk` and `total_chunks` on top of this scope, sharing its memo
    /// when it was made by [`Scope::chunks`].
    pub fn chunk(self: &Arc<Self>, this: u64, total: u64) -> Arc<Scope> {
        let [c, t] = CHUNK_VARIABLES;
        Arc::new(Scope {
            parent: Some(self.clone()),
            vars: vec![
                (c.into(), Value::from(this)),
                (t.into(), Value::from(total)),
            ],
            shadows_run: self.shadows_run,
            memo: None,
            chunk: self.memo.is_some(),
            root: Some(self.outermost()),
        })
    }

    /// Where a chunk scope remembers what is the same for all its chunks.
    pub fn chunk_memo(&self) -> Option<&Memo> {
        self.chunk.then(|| self.parent.as_ref()?.memo.as_ref())?
    }

    /// Whether `branch` and `params` are the run's here.
    pub fn sees_run(&self) -> bool {
        !self.shadows_run
    }

    fn outermost(self: &Arc<Self>) -> Arc<Scope> {
        self.root.clone().unwrap_or_else(|| self.clone())
    }

    pub fn lookup(&self, name: &str) -> Option<Value> {
        let mut scope = match &self.root {
            Some(root) if !self.shadows_run && (name == "branch" || name == "params") => root,
            _ => self,
        };
        loop {
            if let Some((_, v)) = scope.vars.iter().rev().find(|(k, _)| k == name) {
                return Some(v.clone());
            }
            scope = scope.parent.as_deref()?;
        }
    }

    /// Every visible name, sorted, for "available variables" help.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.iter().map(|(k, _)| k.clone()).collect();
        if let Some(p) = &self.parent {
            names.extend(p.names());
        }
        names.sort();
        names.dedup();
        names
    }

    /// "variables here: ..." help for undefined-variable errors.
    pub fn help(&self) -> String {
        format!("variables here: {}", crate::diag::backticked(self.names()))
    }

    pub fn value(self: &Arc<Self>) -> Value {
        Value::from_dyn_object(self.clone())
    }
}

impl Object for Scope {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.lookup(key.as_str()?)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.names().into_iter().map(Value::from).collect())
    }
}
