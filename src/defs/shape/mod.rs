//! The shape of the definitions files: each mapping's keys, with the type and meaning of each.
//! The loader checks keys against these tables (`keys::check_keys`), and `taskgen schema`
//! writes the same tables out as JSON Schema, so that the two cannot drift apart.

/// The type of a value, as far as it can be told before rendering.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string.
    Str,
    /// `true` or `false`.
    Bool,
    /// An integer.
    Int,
    /// An integer, 0 or more.
    Count,
    /// A trust level: 1, 2 or 3.
    Level,
    /// A duration: `90s`, `1h30m`, or a number of seconds.
    Duration,
    /// One of these words.
    Word(&'static [&'static str]),
    /// One of these integers.
    Number(&'static [i64]),
    /// A string, or a list of strings (a single string counts as a list of one).
    Strings,
    /// A list of values of this type.
    List(&'static Ty),
    /// A mapping with the keys of this table.
    Map(&'static Table),
    /// A mapping from free names to values of this type.
    MapOf(&'static Ty),
    /// A mapping from some of these names to values of this type.
    Keyed(&'static [&'static str], &'static Ty),
    /// A value of any one of these types.
    OneOf(&'static [Ty]),
    /// `~`: nothing (an override that removes a key).
    Null,
    /// Any value.
    Any,
    /// A value rendered per job or per branch: also a template string (`"{{ ... }}"`), a `by-*`
    /// table, or `~`. What it renders to is checked at rendering.
    Rendered(&'static Ty),
    /// A key no file may set.
    Forbidden,
}

pub mod branches;
pub mod config;
pub mod graph_tests;
pub mod graphs;
pub mod jobs;
pub mod policy;

/// One key of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub ty: Ty,
    /// What the key means, for docs, schema descriptions and hovers.
    pub doc: &'static str,
}

/// Shorthand for the tables below.
pub const fn key(name: &'static str, ty: Ty, doc: &'static str) -> Key {
    Key { name, ty, doc }
}

/// The keys a mapping may hold.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The keys, in groups (job fields are shared by several tables).
    pub groups: &'static [&'static [Key]],
    /// Keys that must be present.
    pub required: &'static [&'static str],
    /// `(key, other, value)`: `key` is also required when `other` is absent or is `value`.
    pub required_when: Option<(&'static str, &'static str, &'static str)>,
    /// Whether keys not listed are allowed (branch files: free for templates).
    pub open: bool,
    /// Whether the mapping holds exactly one of its keys (a graph test's expectation).
    pub exactly_one: bool,
}

impl Table {
    /// A closed table of these keys, none required.
    pub const fn of(groups: &'static [&'static [Key]]) -> Table {
        Table {
            groups,
            required: &[],
            required_when: None,
            open: false,
            exactly_one: false,
        }
    }

    pub const fn requiring(self, required: &'static [&'static str]) -> Table {
        Table { required, ..self }
    }

    pub const fn requiring_when(
        self,
        key: &'static str,
        other: &'static str,
        value: &'static str,
    ) -> Table {
        Table {
            required_when: Some((key, other, value)),
            ..self
        }
    }

    pub const fn open(self) -> Table {
        Table { open: true, ..self }
    }

    pub const fn exactly_one(self) -> Table {
        Table {
            exactly_one: true,
            ..self
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static Key> + '_ {
        self.groups.iter().flat_map(|g| g.iter())
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.keys().map(|k| k.name).collect()
    }

    pub fn get(&self, name: &str) -> Option<&'static Key> {
        self.keys().find(|k| k.name == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// The names of a group of keys.
pub fn names(keys: &[Key]) -> Vec<&'static str> {
    keys.iter().map(|k| k.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INNER: Table = Table::of(&[&[key("x", Ty::Int, "an x")]]);
    const OUTER: Table = Table::of(&[
        &[key("a", Ty::Str, "an a")],
        &[key("b", Ty::Map(&INNER), "a b")],
    ])
    .requiring(&["a"]);

    #[test]
    fn groups_read_as_one_table() {
        assert_eq!(OUTER.names(), ["a", "b"]);
        assert!(OUTER.has("b") && !OUTER.has("x"));
        assert_eq!(OUTER.required, ["a"]);
    }
}
