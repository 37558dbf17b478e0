//! Classic try syntax (`try: -b do -p linux64,win32 -u mochitest-3,reftest[linux64] -t none`),
//! read as buildbotcustom's `try_parser.py` read it in December 2014: the first line holding
//! `try: ` (with the space), split on spaces outside `[...]`, options as Python's argparse takes
//! them (`-bdo`, `--build=do`, a unique prefix of a long option), the last of a repeated option
//! winning, and every other part ignored, with a note (an error under `--strict`).
//!
//! The per-job arguments of the try workflow (`--try-test-paths`, `--tag`, `--setenv`,
//! `--no-retry`, `--rebuild`) are read here too; `crate::select::args` applies them.

/// Which build platforms (`-p`, comma separated): `all` adds those tried by default, `full`
/// every one, and other names themselves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Platforms {
    pub all: bool,
    pub full: bool,
    pub named: Vec<String>,
}

/// One `-u`/`-t` entry: a suite name (or alias, or `all`) and its `[...]` restriction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Inclusions and `-`exclusions; `None` when the entry has no brackets.
    pub restriction: Option<Vec<String>>,
}

/// The try workflow's per-job arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobArgs {
    /// `SUITE:PATH` or `PATH`: harness arguments of the chosen tests (of that suite).
    pub test_paths: Vec<String>,
    pub tags: Vec<String>,
    pub env: Vec<(String, String)>,
    pub no_retry: bool,
    /// How many times each chosen test and talos job runs (1 to 20).
    pub rebuild: Option<u32>,
}

/// A parsed try selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrySpec {
    /// `opt` and/or `debug`.
    pub build_types: Vec<&'static str>,
    pub platforms: Platforms,
    /// `None`: `none`.
    pub tests: Option<Vec<Entry>>,
    pub talos: Option<Vec<Entry>>,
    pub args: JobArgs,
    /// What the real parser ignored, one note each (errors under `--strict`).
    pub ignored: Vec<String>,
}

impl Default for TrySpec {
    /// `-b do -p all -u all -t none`: what a push with no (or junk) try syntax ran.
    fn default() -> Self {
        TrySpec {
            build_types: vec!["opt", "debug"],
            platforms: Platforms {
                all: true,
                ..Platforms::default()
            },
            tests: Some(vec![Entry {
                name: "all".into(),
                restriction: None,
            }]),
            talos: None,
            args: JobArgs::default(),
            ignored: Vec::new(),
        }
    }
}

/// The try syntax of a commit message: what follows the first `try: ` on the first line that
/// holds one (`processMessage`). `try:` without a space after it is not try syntax.
pub fn find(message: &str) -> Option<&str> {
    message
        .split('\n')
        .find_map(|line| line.split_once("try: ").map(|(_, rest)| rest.trim()))
}

/// The message's words: runs of non-spaces, where `[...]` may hold spaces (`(?:\[.*?\]|\S)+`).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '[' {
            // A bracket group runs to the first `]`; without one, `[` is an ordinary character.
            let rest: String = chars.clone().collect();
            if let Some(end) = rest.find(']') {
                cur.push('[');
                cur.push_str(&rest[..=end]);
                for _ in 0..rest[..=end].chars().count() {
                    chars.next();
                }
                continue;
            }
        }
        if c.is_whitespace() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The options taskgen reads, by long name; `true` when the option takes a value.
const OPTIONS: &[(&str, Option<char>, bool)] = &[
    ("build", Some('b'), true),
    ("platform", Some('p'), true),
    ("unittests", Some('u'), true),
    ("talos", Some('t'), true),
    ("try-test-paths", None, true),
    ("tag", None, true),
    ("setenv", None, true),
    ("no-retry", None, false),
    ("rebuild", None, true),
];

/// Which option a word names, and the value written into it (`-bdo`, `--build=do`); long
/// options may be abbreviated to a unique prefix, as argparse allows.
fn option(word: &str) -> Option<(&'static str, bool, Option<String>)> {
    if let Some(long) = word.strip_prefix("--") {
        let (name, inline) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (long, None),
        };
        let exact = OPTIONS.iter().find(|o| o.0 == name);
        let prefixed: Vec<_> = OPTIONS.iter().filter(|o| o.0.starts_with(name)).collect();
        let found = exact.or(match prefixed.as_slice() {
            [one] if !name.is_empty() => Some(*one),
            _ => None,
        })?;
        return Some((found.0, found.2, inline));
    }
    let mut chars = word.strip_prefix('-')?.chars();
    let short = chars.next()?;
    let found = OPTIONS.iter().find(|o| o.1 == Some(short))?;
    let rest: String = chars.collect();
    Some((found.0, found.2, (!rest.is_empty()).then_some(rest)))
}

/// `parseTestOptions`: `none`, or comma-separated names, each with an optional `[...]` of
/// comma-separated inclusions and `-`exclusions (kept as written, spaces included).
fn entries(value: &str) -> Option<Vec<Entry>> {
    if value == "none" {
        return None;
    }
    // Brackets first, so that their commas do not split the list: `a[x,y],b` is `a[0],b`.
    let mut restrictions: Vec<Vec<String>> = Vec::new();
    let mut flat = String::new();
    let mut rest = value;
    while let Some(open) = rest.find('[') {
        let Some(len) = rest[open..].find(']') else {
            break;
        };
        flat.push_str(&rest[..open]);
        flat.push_str(&format!("[{}]", restrictions.len()));
        restrictions.push(
            rest[open + 1..open + len]
                .split(',')
                .map(str::to_owned)
                .collect(),
        );
        rest = &rest[open + len + 1..];
    }
    flat.push_str(rest);
    let entry = |t: &str| {
        let split = t.strip_suffix(']').and_then(|t| t.rsplit_once('['));
        match split.and_then(|(name, i)| Some((name, restrictions.get(i.parse::<usize>().ok()?)?)))
        {
            Some((name, r)) => Entry {
                name: name.to_owned(),
                restriction: Some(r.clone()),
            },
            None => Entry {
                name: t.to_owned(),
                restriction: None,
            },
        }
    };
    Some(flat.split(',').map(entry).collect())
}

/// Parses the words after `try: `.
pub fn parse(words: &[String]) -> TrySpec {
    let mut spec = TrySpec::default();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        let Some((name, takes_value, inline)) = option(word) else {
            spec.ignored
                .push(format!("`{word}` is not an option taskgen reads"));
            i += 1;
            continue;
        };
        let value = match (takes_value, inline) {
            (false, Some(_)) => {
                spec.ignored
                    .push(format!("`{word}`: `--{name}` takes no value"));
                i += 1;
                continue;
            }
            (false, None) => String::new(),
            (true, Some(v)) => v,
            (true, None) => match words.get(i + 1) {
                Some(next) if !next.starts_with('-') => {
                    i += 1;
                    next.clone()
                }
                _ => {
                    spec.ignored.push(format!("`{word}` needs a value"));
                    i += 1;
                    continue;
                }
            },
        };
        i += 1;
        match name {
            "build" => {
                spec.build_types = match value.as_str() {
                    "o" => vec!["opt"],
                    "d" => vec!["debug"],
                    "do" | "od" => vec!["opt", "debug"],
                    other => {
                        spec.ignored.push(format!(
                            "`-b {other}` is not `o`, `d` or `do`: both build types run"
                        ));
                        vec!["opt", "debug"]
                    }
                }
            }
            "platform" => {
                let mut p = Platforms::default();
                for name in value.split(',') {
                    match name {
                        "all" => p.all = true,
                        "full" => p.full = true,
                        _ => p.named.push(name.to_owned()),
                    }
                }
                spec.platforms = p;
            }
            "unittests" => spec.tests = entries(&value),
            "talos" => spec.talos = entries(&value),
            "try-test-paths" => {
                spec.args.test_paths.push(value);
                // `nargs='*'`: the paths run to the next option.
                while let Some(next) = words.get(i).filter(|w| !w.starts_with('-')) {
                    spec.args.test_paths.push(next.clone());
                    i += 1;
                }
            }
            "tag" => spec.args.tags.push(value),
            "setenv" => match value.split_once('=') {
                Some((k, v)) if !k.is_empty() => spec.args.env.push((k.into(), v.into())),
                _ => spec
                    .ignored
                    .push(format!("`--setenv {value}` is not KEY=VALUE")),
            },
            "no-retry" => spec.args.no_retry = true,
            "rebuild" => match value.parse::<u32>() {
                Ok(n @ 1..=20) => spec.args.rebuild = Some(n),
                _ => spec
                    .ignored
                    .push(format!("`--rebuild {value}` is not a number from 1 to 20")),
            },
            _ => unreachable!("every option in OPTIONS is handled"),
        }
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokens(s)
    }

    #[test]
    fn words_keep_brackets_whole() {
        assert_eq!(
            words("-b o -u crashtest[5.1,Windows XP] -t none"),
            ["-b", "o", "-u", "crashtest[5.1,Windows XP]", "-t", "none"]
        );
        assert_eq!(words("  a  [b c]d [e "), ["a", "[b c]d", "[e"]);
    }

    #[test]
    fn options_as_argparse_takes_them() {
        let s = parse(&words("-bdo --plat=linux64 --unit mochitest-1 -t none"));
        assert_eq!(s.build_types, ["opt", "debug"]);
        assert_eq!(s.platforms.named, ["linux64"]);
        assert_eq!(s.tests.unwrap()[0].name, "mochitest-1");
        assert!(s.ignored.is_empty(), "{:?}", s.ignored);
        // The last of a repeated option wins.
        assert_eq!(parse(&words("-b o -b d")).build_types, ["debug"]);
    }

    #[test]
    fn junk_is_ignored_with_a_note_and_the_defaults_run() {
        let s = parse(&words("junk -m none -b k"));
        assert_eq!(s.build_types, ["opt", "debug"]);
        assert!(s.platforms.all);
        assert_eq!(
            s.ignored,
            [
                "`junk` is not an option taskgen reads",
                "`-m` is not an option taskgen reads",
                "`none` is not an option taskgen reads",
                "`-b k` is not `o`, `d` or `do`: both build types run"
            ]
        );
    }

    #[test]
    fn test_options_with_restrictions() {
        let e = entries("mochitests[a,b],test2,mochitest-1[c],all[-x]").unwrap();
        let got: Vec<(String, Option<Vec<String>>)> =
            e.into_iter().map(|e| (e.name, e.restriction)).collect();
        assert_eq!(
            got,
            [
                ("mochitests".into(), Some(vec!["a".into(), "b".into()])),
                ("test2".into(), None),
                ("mochitest-1".into(), Some(vec!["c".into()])),
                ("all".into(), Some(vec!["-x".into()])),
            ]
        );
        assert_eq!(entries("none"), None);
        assert_eq!(
            entries("all[]").unwrap()[0].restriction,
            Some(vec![String::new()])
        );
    }

    #[test]
    fn the_per_job_arguments() {
        let s = parse(&words(
            "-b o --try-test-paths mochitest:dom/a browser/b --tag foo --setenv A=1 --no-retry --rebuild 3",
        ));
        assert_eq!(s.args.test_paths, ["mochitest:dom/a", "browser/b"]);
        assert_eq!(s.args.tags, ["foo"]);
        assert_eq!(s.args.env, [("A".to_owned(), "1".to_owned())]);
        assert!(s.args.no_retry);
        assert_eq!(s.args.rebuild, Some(3));
        assert!(parse(&words("--rebuild 50")).ignored[0].contains("1 to 20"));
    }

    #[test]
    fn messages() {
        assert_eq!(
            find("Bug 1 - fix things r=me\n\ntry: -b o -p linux64\nmore"),
            Some("-b o -p linux64")
        );
        assert_eq!(
            find("Should ignore this try:\ntry: -a -b -c"),
            Some("-a -b -c")
        );
        assert_eq!(find("no syntax here"), None);
    }
}
