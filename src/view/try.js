// Part of the page's script (page.js, try.js, start.js, in that order).
// Try syntax, on a branch that reads it: the line naming the selection's builds, tests and
// talos runs, and what that line chooses by try_parser's rules (src/select/try_match.rs), so
// the page can say when try syntax cannot say exactly this selection.
const TRY = D.try;
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
function bbSuite(i) {
  const suite = queryValue(i, "suite"), chunk = field(i, "chunk");
  return suite === undefined ? undefined : chunk && chunk.total > 1 ? `${suite}-${chunk.this}` : suite;
}
function suiteMatches(v, u) {
  switch (u) {
    case "mochitests": case "mochitest": return v.startsWith("mochitest");
    case "jittests": case "jittest": return v.startsWith("jittest");
    case "mochitest-o": case "mochitest-chrome": case "mochitest-a11y": return v.includes("mochitest-o");
    case "mochitest-dt": return v.startsWith("mochitest-devtools-chrome");
    case "mochitest-bc": case "mochitest-browser": return v.startsWith("mochitest-browser-chrome");
    case "reftests": case "reftest": return v.startsWith("reftest") || v.startsWith("plain-reftest");
    case "all": return true;
    default: return u === v;
  }
}
function tryChooses(u, i) {
  const suite = queryValue(i, "suite");
  if (suite === undefined) return false;
  const bb = bbSuite(i);
  const direct = (n) => {
    if (suiteMatches(bb, n)) return true;
    const at = n.lastIndexOf("-");
    return bb === suite && at > 0 && n.slice(0, at) === suite && /^[0-9]+$/.test(n.slice(at + 1));
  };
  if (!has(TRY.aliases, u)) return direct(u);
  const [how, v] = TRY.aliases[u];
  if (how === "name") return direct(v);
  if (how === "list") return v.some(direct);
  const re = new RegExp(v);
  return re.test(suite) || re.test(bb);
}
function tryPasses(filter, i) {
  const name = text(field(i, "description") ?? J[i][0]);
  const platforms = [queryValue(i, "test_platform"), queryValue(i, "platform")];
  const matches = (item) => name.includes(item) || platforms.includes(item);
  let inclusion = false, matched = false;
  for (const item of filter) {
    if (item.startsWith("-")) { if (matches(item.slice(1))) return false; }
    else { inclusion = true; matched = matched || matches(item); }
  }
  return matched || !inclusion;
}
// A spec: build types, build platforms (aliases or names), and the -u and -t entries as
// [name, restriction or null]. Is job i on the spec's builds, and which entries may choose it?
function tryPlaced(spec, platforms, i) {
  return platforms.has(queryValue(i, "platform")) && spec.buildTypes.includes(queryValue(i, "build_type"));
}
function tryEntriesOf(spec, i) {
  const kind = field(i, "kind");
  return kind === "test" ? spec.tests : kind === "talos" ? spec.talos : null;
}
// `entries_choose`: the last restriction given for a matching entry decides; without one,
// test platforms not tried by default are left out.
function tryDecides(entries, i) {
  let matched = false, filter = null;
  for (const [name, f] of entries) if (tryChooses(name, i)) { matched = true; if (f) filter = f; }
  if (!matched) return false;
  return filter ? tryPasses(filter, i) : !TRY.notByDefault.includes(queryValue(i, "test_platform"));
}
function tryPlatforms(spec) {
  return new Set(spec.platforms.flatMap((p) => {
    if (p === "all") return TRY.all;
    if (!has(TRY.aliases, p)) return [p];
    const [how, v] = TRY.aliases[p];
    return how === "name" ? [v] : how === "list" ? v : [p];
  }));
}
// What a line written by `tryLineFor` chooses: its builds, tests and talos runs.
function tryChosen(spec) {
  const platforms = tryPlatforms(spec), chosen = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    if (!tryPlaced(spec, platforms, i)) continue;
    const entries = tryEntriesOf(spec, i);
    if (field(i, "kind") === "build") chosen[i] = 1;
    else if (entries && tryDecides(entries, i)) chosen[i] = 1;
  }
  return chosen;
}
// Drops each restriction that changes nothing (`mochitest-1`, not `mochitest-1[every platform]`),
// checking only the jobs the entry's name chooses.
function tryShorten(spec) {
  const chosen = tryChosen(spec), platforms = tryPlatforms(spec);
  for (const entries of [spec.tests, spec.talos]) for (const e of entries) {
    const filter = e[1];
    e[1] = null;
    for (let i = 0; i < N; i++) {
      if (!tryPlaced(spec, platforms, i) || tryEntriesOf(spec, i) !== entries || !tryChooses(e[0], i)) continue;
      if (tryDecides(entries, i) !== !!chosen[i]) { e[1] = filter; break; }
    }
  }
  const all = [...TRY.all].sort();
  if (spec.platforms.length === all.length && spec.platforms.every((p, k) => p === all[k])) spec.platforms = ["all"];
}
const TRY_BUILD_TYPES = { opt: "o", debug: "d" };
// The line for the jobs `keep` marks (a selection with its dependencies).
function tryLineFor(keep) {
  const buildTypes = new Set(), platforms = new Set(), tests = new Map(), talos = new Map();
  for (let i = 0; i < N; i++) {
    if (!keep[i]) continue;
    const kind = field(i, "kind"), bt = queryValue(i, "build_type"), p = queryValue(i, "platform");
    if (!["build", "test", "talos"].includes(kind) || !has(TRY_BUILD_TYPES, bt) || p === undefined) continue;
    buildTypes.add(bt); platforms.add(p);
    if (kind === "build") continue;
    const name = bbSuite(i);
    if (name === undefined) continue;
    const into = kind === "test" ? tests : talos;
    if (!into.has(name)) into.set(name, new Set());
    into.get(name).add(queryValue(i, "test_platform") ?? p);
  }
  if (!platforms.size) return null;
  const entries = (m) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, tps]) => [n, [...tps].sort()]);
  const spec = { buildTypes: [...buildTypes], platforms: [...platforms].sort(), tests: entries(tests), talos: entries(talos) };
  tryShorten(spec);
  const b = ["opt", "debug"].filter((t) => buildTypes.has(t)).map((t) => TRY_BUILD_TYPES[t]).join("");
  const terms = (es) => (es.length ? es.map(([n, f]) => (f ? `${n}[${f.join(",")}]` : n)).join(",") : "none");
  return { spec, line: `try: -b ${b} -p ${spec.platforms.join(",")} -u ${terms(spec.tests)} -t ${terms(spec.talos)}` };
}
function tryLine() {
  if (!TRY) return;
  const keep = closure(selected), made = selected.size ? tryLineFor(keep) : null;
  $("try").hidden = false;
  if (!made) {
    $("try-line").textContent = "";
    $("try-jobs").textContent = "";
    $("try-note").textContent = selected.size ? "try syntax names no job of this selection" : "";
    return;
  }
  const gives = closure(new Set(indexes(tryChosen(made.spec))));
  const more = [], fewer = [];
  for (let i = 0; i < N; i++) { if (gives[i] && !keep[i]) more.push(i); if (keep[i] && !gives[i]) fewer.push(i); }
  const some = (is) => (is.length ? ` (${is.slice(0, 3).map((i) => J[i][0]).join(", ")}${is.length > 3 ? ", ..." : ""})` : "");
  $("try-line").textContent = made.line;
  $("try-jobs").textContent = labelsOf(gives).join("\n");
  $("try-note").textContent = !more.length && !fewer.length ? "gives exactly this selection" :
    `try syntax cannot say exactly this selection: the line gives ${more.length} more jobs${some(more)} and ${fewer.length} fewer${some(fewer)}`;
}
