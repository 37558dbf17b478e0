//! What a template sees: `branch`, `params` (the run's), and the variables of its place.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object};

/// Variables visible to one template evaluation. Cheap to extend: a child shares its parent.
#[derive(Debug)]
pub struct Scope {
    parent: Option<Arc<Scope>>,
    vars: Vec<(String, Value)>,
    /// Whether this scope or a parent rebinds `branch` or `params` (a matrix or parameter of
    /// that name), so that they are not the run's.
    shadows_run: bool,
}

impl Scope {
    /// The outermost scope of a run: `branch` and `params`.
    pub fn root(branch: Value, params: Value) -> Arc<Scope> {
        Arc::new(Scope {
            parent: None,
            vars: vec![("branch".into(), branch), ("params".into(), params)],
            shadows_run: false,
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
        })
    }

    /// Whether `branch` and `params` are the run's here.
    pub fn sees_run(&self) -> bool {
        !self.shadows_run
    }

    pub fn lookup(&self, name: &str) -> Option<Value> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| self.parent.as_ref()?.lookup(name))
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
