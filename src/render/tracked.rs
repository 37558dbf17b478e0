//! The `branch` mapping as templates see it, remembering which top-level keys were read, so
//! that lint can report branch keys nothing uses.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indexmap::IndexMap;
use minijinja::Value;

use crate::load::FastHash;
use minijinja::value::{Enumerator, Object};

#[derive(Debug)]
pub struct Tracked {
    map: IndexMap<String, Value, FastHash>,
    used: Vec<AtomicBool>,
}

impl Tracked {
    pub fn new(map: IndexMap<String, Value, FastHash>) -> Arc<Self> {
        let used = map.keys().map(|_| AtomicBool::new(false)).collect();
        Arc::new(Tracked { map, used })
    }

    /// The keys some template read.
    pub fn used(&self) -> impl Iterator<Item = &str> {
        self.map
            .keys()
            .zip(&self.used)
            .filter(|(_, u)| u.load(Ordering::Relaxed))
            .map(|(k, _)| k.as_str())
    }
}

impl Object for Tracked {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let (i, _, v) = self.map.get_full(key.as_str()?)?;
        self.used[i].store(true, Ordering::Relaxed);
        Some(v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // Iterating the whole mapping reads every key.
        self.used
            .iter()
            .for_each(|u| u.store(true, Ordering::Relaxed));
        Enumerator::Values(self.map.keys().map(|k| Value::from(k.as_str())).collect())
    }
}
