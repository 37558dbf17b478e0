//! Classic try syntax (`try: -b do -p linux64,win32 -u mochitest-3,reftest[linux64] -t none`),
//! parsed as Mozilla's commit parser did: see ../shared/FIREFOX-CI.md section 5.

use std::collections::BTreeSet;

/// `all`, `none`, or named entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    All,
    None,
    Some(Vec<Entry>),
}

/// One test or talos entry: `mochitest-3[linux64,win32]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Only these chunks (empty: every chunk).
    pub chunks: BTreeSet<u32>,
    /// Only on these platforms (empty: everywhere).
    pub platforms: Vec<String>,
}

/// A parsed try selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrySpec {
    /// `opt` and/or `debug`, from `-b`; empty when `-b` is absent (then nothing runs).
    pub build_types: Vec<String>,
    /// `None`: every platform.
    pub platforms: Choice,
    pub tests: Choice,
    pub talos: Choice,
}

/// The try syntax in a commit message: everything after the first `try:`, to the end of its line.
pub fn find(message: &str) -> Option<&str> {
    let at = message.find("try:")?;
    let rest = &message[at..];
    Some(rest.lines().next().unwrap_or(rest))
}

/// Splits where `is_sep` holds, but not inside `[...]` restrictions (which may hold spaces and
/// commas) nor inside quotes (which are dropped); empty pieces are skipped.
fn split_outside(text: &str, is_sep: impl Fn(char) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quote) = (0usize, None::<char>);
    for c in text.chars() {
        match c {
            '"' | '\'' if quote == Some(c) => quote = None,
            '"' | '\'' if quote.is_none() => quote = Some(c),
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if is_sep(c) && depth == 0 && quote.is_none() => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        if !matches!(c, '"' | '\'') {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn tokens(text: &str) -> Vec<String> {
    split_outside(text, char::is_whitespace)
}

fn items(list: &str) -> Vec<String> {
    split_outside(list, |c| c == ',')
}

/// What a name selects: `name-3` is chunk 3 of `name`, and the suite `name-3` where one has
/// that name (buildbot named chunks and some one-chunk suites alike, e.g. B2G's `mochitest-1`,
/// and the real parser matched both); a name that is neither is itself.
pub fn readings<'a>(name: &'a str, known: &dyn Fn(&str) -> bool) -> Vec<(&'a str, Option<u32>)> {
    let mut out = Vec::new();
    if known(name) {
        out.push((name, None));
    }
    if let Some((base, n)) = name.rsplit_once('-') {
        if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = n.parse() {
                if known(base) || out.is_empty() {
                    out.push((base, Some(n)));
                }
            }
        }
    }
    if out.is_empty() {
        out.push((name, None));
    }
    out
}

fn entries(list: &str, what: &str) -> Result<Choice, String> {
    let list = items(list);
    match list.as_slice() {
        [] => Err(format!("`{what}` needs a value")),
        [one] if one == "all" => Ok(Choice::All),
        [one] if one == "none" => Ok(Choice::None),
        _ => list
            .iter()
            .map(|item| {
                let (name, platforms) = match item.split_once('[') {
                    Some((name, rest)) => {
                        let inner = rest
                            .strip_suffix(']')
                            .ok_or_else(|| format!("`{item}`: `[` without `]`"))?;
                        (name.trim(), items(inner))
                    }
                    None => (item.as_str(), Vec::new()),
                };
                if name.is_empty() {
                    return Err(format!("`{item}`: a name is missing before `[`"));
                }
                Ok(Entry {
                    name: name.to_owned(),
                    chunks: BTreeSet::new(),
                    platforms,
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Choice::Some),
    }
}

/// Parses the text after `try:`.
pub fn parse(text: &str) -> Result<TrySpec, String> {
    let body = text
        .trim_start()
        .strip_prefix("try:")
        .ok_or("try syntax starts with `try:`")?;
    let mut spec = TrySpec {
        build_types: Vec::new(),
        platforms: Choice::All,
        tests: Choice::All,
        talos: Choice::None,
    };
    let toks = tokens(body);
    let mut i = 0;
    while i < toks.len() {
        let tok = toks[i].as_str();
        let (flag, inline) = match tok.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ if tok.len() > 2 && tok.starts_with('-') && !tok.starts_with("--") => {
                (&tok[..2], Some(tok[2..].to_owned()))
            }
            _ => (tok, None),
        };
        let mut value = |optional: bool| -> Result<Option<String>, String> {
            if let Some(v) = inline.clone() {
                return Ok(Some(v));
            }
            match toks.get(i + 1) {
                Some(next) if !next.starts_with('-') => {
                    i += 1;
                    Ok(Some(next.clone()))
                }
                _ if optional => Ok(None),
                _ => Err(format!("`{flag}` needs a value")),
            }
        };
        match flag {
            "-b" | "--build" => {
                let v = value(false)?.unwrap_or_default();
                spec.build_types.clear();
                for c in v.chars() {
                    let t = match c {
                        'o' => "opt",
                        'd' => "debug",
                        other => {
                            return Err(format!(
                                "`-b {v}`: unknown build type `{other}` (use `o` for opt and `d` for debug)"
                            ));
                        }
                    };
                    if !spec.build_types.iter().any(|b| b == t) {
                        spec.build_types.push(t.to_owned());
                    }
                }
            }
            "-p" | "--platform" => {
                spec.platforms = value(true)?.map_or(Ok(Choice::All), |v| entries(&v, "-p"))?
            }
            "-u" | "--unittests" => spec.tests = entries(&value(false)?.unwrap_or_default(), "-u")?,
            "-t" | "--talos" => spec.talos = entries(&value(false)?.unwrap_or_default(), "-t")?,
            _ => {} // unknown arguments are ignored, as the commit parser did
        }
        i += 1;
    }
    if let Choice::Some(list) = &spec.platforms {
        if list.iter().any(|e| !e.platforms.is_empty()) {
            return Err("`-p` takes platforms, not `[...]` restrictions".to_owned());
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: &Choice) -> Vec<String> {
        match c {
            Choice::All => vec!["all".into()],
            Choice::None => vec!["none".into()],
            Choice::Some(v) => v
                .iter()
                .map(|e| format!("{}{:?}", e.name, e.platforms))
                .collect(),
        }
    }

    #[test]
    fn the_classic_example() {
        let s =
            parse("try: -b do -p linux64,win32 -u mochitest-3,reftest[linux64] -t none").unwrap();
        assert_eq!(s.build_types, ["debug", "opt"]);
        assert_eq!(names(&s.platforms), ["linux64[]", "win32[]"]);
        assert_eq!(names(&s.tests), ["mochitest-3[]", "reftest[\"linux64\"]"]);
        assert_eq!(s.talos, Choice::None);
    }

    #[test]
    fn defaults_and_bare_flags() {
        let s = parse("try: -b o").unwrap();
        assert_eq!(
            (s.platforms.clone(), s.tests.clone(), s.talos.clone()),
            (Choice::All, Choice::All, Choice::None)
        );
        assert_eq!(parse("try: -b o -p").unwrap().platforms, Choice::All);
        assert_eq!(
            parse("try: -p all -u none").unwrap().build_types,
            Vec::<String>::new(),
            "no -b, no builds"
        );
        assert_eq!(parse("try: -bdo").unwrap().build_types, ["debug", "opt"]);
        assert_eq!(
            parse("try: --build=o --unittests=all").unwrap().tests,
            Choice::All
        );
    }

    #[test]
    fn restrictions_may_hold_spaces_and_commas() {
        let s = parse("try: -b o -u mochitest[Windows XP, linux64],xpcshell").unwrap();
        assert_eq!(
            names(&s.tests),
            ["mochitest[\"Windows XP\", \"linux64\"]", "xpcshell[]"]
        );
    }

    #[test]
    fn unknown_arguments_are_ignored() {
        let s = parse("try: -b o --rebuild 5 -q -u xpcshell").unwrap();
        assert_eq!(names(&s.tests), ["xpcshell[]"]);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(parse("-b o"), Err("try syntax starts with `try:`".into()));
        assert_eq!(
            parse("try: -b x").unwrap_err(),
            "`-b x`: unknown build type `x` (use `o` for opt and `d` for debug)"
        );
        assert_eq!(parse("try: -b o -u").unwrap_err(), "`-u` needs a value");
        assert_eq!(
            parse("try: -b o -u mochitest[linux").unwrap_err(),
            "`mochitest[linux`: `[` without `]`"
        );
        assert!(parse("try: -b o -p linux[x]").is_err());
    }

    #[test]
    fn chunks_split_off_and_known_names_stay_whole() {
        let known = |n: &str| ["b2g-2", "mochitest", "mochitest-1"].contains(&n);
        assert_eq!(readings("mochitest-3", &known), [("mochitest", Some(3))]);
        assert_eq!(
            readings("mochitest-e10s", &known),
            [("mochitest-e10s", None)]
        );
        assert_eq!(readings("b2g-2", &known), [("b2g-2", None)]);
        assert_eq!(
            readings("mochitest-1", &known),
            [("mochitest-1", None), ("mochitest", Some(1))]
        );
        assert_eq!(readings("-3", &known), [("-3", None)]);
        assert_eq!(readings("nosuch-3", &known), [("nosuch", Some(3))]);
    }

    #[test]
    fn messages() {
        assert_eq!(
            find("Bug 1 - fix things r=me\n\ntry: -b o -p linux64\nmore"),
            Some("try: -b o -p linux64")
        );
        assert_eq!(find("no syntax here"), None);
    }
}
