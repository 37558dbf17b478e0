"use strict";
// taskgen view. The data (see src/view/mod.rs): jobs are
// [label, group, item, layer, active, [[dependency, condition]...], [[field name, value]...], site];
// groups are [name, graph, layer, order, [[item name, [job...]]...]]; the layout is already
// computed, so this page only stacks the groups of each layer and draws what is on screen.
const T = { start: performance.now() };
const D = JSON.parse(document.getElementById("data").textContent);
T.parsed = performance.now();
const J = D.jobs, G = D.groups, N = J.length;
const $ = (id) => document.getElementById(id);
const byLabel = new Map(J.map((j, i) => [j[0], i]));
const down = J.map(() => []);
J.forEach((j, i) => j[5].forEach(([d, c]) => down[d].push([i, c])));
T.indexed = performance.now();

function field(i, name) {
  for (const [f, v] of J[i][6]) if (D.fieldNames[f] === name) return D.values[v];
  return undefined;
}
const isMilestone = (i) => field(i, "kind") === "milestone";

// Queries, as `--select` reads them: label globs, or key=value terms that must all hold.
function globRegex(glob) {
  let re = "", depth = 0;
  for (let k = 0; k < glob.length; k++) {
    const c = glob[k];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", k + 2);
      if (end < 0) { re += "\\["; continue; }
      let set = glob.slice(k + 1, end);
      if (set[0] === "!") set = "^" + set.slice(1);
      re += "[" + set.replace(/\\/g, "\\\\") + "]";
      k = end;
    } else if (c === "{") { re += "(?:"; depth++; }
    else if (c === "}" && depth > 0) { re += ")"; depth--; }
    else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[.+^$()|\\\/]/g, "\\$&");
  }
  return new RegExp("^" + re + ")".repeat(depth) + "$");
}
function text(v) {
  return typeof v === "string" ? v : JSON.stringify(v);
}
function queryValue(i, key) {
  const builtIn = { label: J[i][0], kind: field(i, "kind"), type: field(i, "type"),
    graph: field(i, "graph"), job: field(i, "job"), active: String(!!J[i][4]) };
  if (key in builtIn) return builtIn[key] === undefined ? undefined : text(builtIn[key]);
  const a = field(i, "attributes"), p = field(i, "params");
  if (a && key in a) return text(a[key]);
  if (p && key in p) return text(p[key]);
  return undefined;
}
function query(q) {
  q = q.trim();
  if (!q) return null;
  if (q.includes("=")) {
    const terms = q.split(/\s+/).map((t) => {
      const at = t.indexOf("=");
      return [t.slice(0, at), globRegex(t.slice(at + 1))];
    });
    return (i) => terms.every(([k, re]) => { const v = queryValue(i, k); return v !== undefined && re.test(v); });
  }
  const globs = q.split(/[\s,]+/).filter(Boolean).map(globRegex);
  return (i) => globs.some((re) => re.test(J[i][0]));
}

// State.
const expanded = new Set();
const selected = new Set();
let matches = new Set(), focus = null, focusSet = null, hover = -1;
const view = { scale: 1, x: 20, y: 20 };
const canvas = $("canvas"), ctx = canvas.getContext("2d");
const COL = 300, BOX = 260, HEAD = 22, ROW = 16, GAP = 10;
const groupActive = G.map((g) => g[4].some(([, js]) => js.some((j) => J[j][4])));
const gx = new Float64Array(G.length), gy = new Float64Array(G.length), gh = new Float64Array(G.length);
const byLayer = [];
G.forEach((g, i) => { (byLayer[g[2]] = byLayer[g[2]] || []).push(i); });
byLayer.forEach((l) => l && l.sort((a, b) => G[a][3] - G[b][3]));

function place() {
  byLayer.forEach((members, layer) => {
    if (!members) return;
    let y = 0;
    for (const g of members) {
      gx[g] = layer * COL; gy[g] = y;
      gh[g] = HEAD + (expanded.has(g) ? G[g][4].length * ROW + 4 : 0);
      y += gh[g] + GAP;
    }
  });
}

// Each pair of groups with the condition its dependencies share ("mixed" when they differ).
const groupEdges = new Map();
J.forEach((j, i) => j[5].forEach(([d, c]) => {
  const a = J[d][1], b = j[1];
  if (a === b) return;
  const key = a * G.length + b, was = groupEdges.get(key);
  groupEdges.set(key, was === undefined || was === c ? c : "mixed");
}));
const STYLES = {
  success: ["#8a8a8a", []], finished: ["#2f6fbf", [6, 4]], failure: ["#c0392b", [2, 3]],
  mixed: ["#8e44ad", [10, 3, 2, 3]], other: ["#d68910", [4, 2]],
};
const styleOf = (c) => STYLES[c] || STYLES.other;
$("legend").innerHTML = "<h2>dependencies</h2>" + Object.entries({
  success: "needs success", finished: "needs finished (any end)", failure: "needs failure",
  mixed: "jobs of the groups differ", other: "other statuses" }).map(([k, t]) =>
  `<div><span class="swatch" style="border-color:${STYLES[k][0]};border-top-style:${STYLES[k][1].length ? "dashed" : "solid"}"></span>${t}</div>`).join("") +
  "<div>grey text: inactive · bold outline: focused · yellow: search match · green: selected</div>";

function resize() {
  const r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, r.width * dpr); canvas.height = Math.max(1, r.height * dpr);
  draw();
}
function visibleBox() {
  const dpr = window.devicePixelRatio || 1;
  return { x0: -view.x / view.scale, y0: -view.y / view.scale,
    x1: (canvas.width / dpr - view.x) / view.scale, y1: (canvas.height / dpr - view.y) / view.scale };
}
// Drawing: one path per edge style (a stroke per edge is what makes large canvases slow),
// and no text where it would be too small to read.
let holdDraw = true;
function draw() {
  if (holdDraw) return;
  const dpr = window.devicePixelRatio || 1, v = visibleBox(), px = 1 / Math.max(view.scale, 0.02);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr * view.scale, 0, 0, dpr * view.scale, dpr * view.x, dpr * view.y);
  const seen = (g) => gx[g] + BOX >= v.x0 && gx[g] <= v.x1 && gy[g] + gh[g] >= v.y0 && gy[g] <= v.y1;
  const paths = new Map();
  let edges = 0;
  for (const [key, c] of groupEdges) {
    const a = Math.floor(key / G.length), b = key % G.length;
    const x0 = gx[a] + BOX, y0 = gy[a] + HEAD / 2, x1 = gx[b], y1 = gy[b] + HEAD / 2;
    if (Math.max(x0, x1) < v.x0 || Math.min(x0, x1) > v.x1 || Math.max(y0, y1) < v.y0 || Math.min(y0, y1) > v.y1) continue;
    const lit = a === hover || b === hover;
    const faded = focusSet && !(groupInFocus(a) && groupInFocus(b));
    const bucket = `${c in STYLES ? c : "other"} ${lit ? "lit" : faded ? "faded" : "plain"}`;
    let path = paths.get(bucket);
    if (!path) paths.set(bucket, (path = new Path2D()));
    path.moveTo(x0, y0);
    path.bezierCurveTo(x0 + COL / 3, y0, x1 - COL / 3, y1, x1, y1);
    edges++;
  }
  for (const [bucket, path] of paths) {
    const [c, how] = bucket.split(" "), [color, dash] = styleOf(c);
    ctx.strokeStyle = how === "lit" ? "#e67e22" : color;
    ctx.globalAlpha = how === "lit" ? 1 : how === "faded" ? 0.08 : 0.6;
    ctx.lineWidth = (how === "lit" ? 2.5 : 1) * px;
    ctx.setLineDash(dash.map((d) => d * Math.min(px, 4)));
    ctx.stroke(path);
  }
  ctx.setLineDash([]); ctx.globalAlpha = 1;
  const words = view.scale * 12 >= 5;
  let groups = 0;
  ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "middle";
  ctx.lineWidth = px;
  for (let g = 0; g < G.length; g++) {
    if (!seen(g)) continue;
    groups++;
    const dim = !groupActive[g] || (focusSet && !groupInFocus(g));
    ctx.globalAlpha = dim ? 0.35 : 1;
    const items = G[g][4];
    const anySelected = items.some(([, js]) => js.some((j) => selected.has(j)));
    const anyMatch = matches.size > 0 && items.some(([, js]) => js.some((j) => matches.has(j)));
    ctx.fillStyle = anySelected ? "#d5f5e3" : anyMatch ? "#fcf3cf" : "#fff";
    ctx.strokeStyle = g === hover ? "#e67e22" : "#999";
    ctx.fillRect(gx[g], gy[g], BOX, gh[g]); ctx.strokeRect(gx[g], gy[g], BOX, gh[g]);
    if (!words) continue;
    ctx.fillStyle = "#222";
    const n = items.reduce((sum, [, js]) => sum + js.length, 0);
    ctx.fillText(`${expanded.has(g) ? "▾" : "▸"} ${G[g][0]}${n === 1 ? "" : ` (${n})`}`, gx[g] + 6, gy[g] + HEAD / 2, BOX - 12);
    if (!expanded.has(g)) continue;
    items.forEach(([name, js], k) => {
      const y = gy[g] + HEAD + k * ROW;
      if (y > v.y1 || y + ROW < v.y0) return;
      if (js.some((j) => selected.has(j))) { ctx.fillStyle = "#abebc6"; ctx.fillRect(gx[g] + 2, y, BOX - 4, ROW); }
      else if (js.some((j) => matches.has(j))) { ctx.fillStyle = "#f9e79f"; ctx.fillRect(gx[g] + 2, y, BOX - 4, ROW); }
      if (focus !== null && js.includes(focus)) {
        ctx.strokeStyle = "#000"; ctx.lineWidth = 2.5 * px;
        ctx.strokeRect(gx[g] + 2, y, BOX - 4, ROW);
        ctx.lineWidth = px;
      }
      ctx.fillStyle = js.some((j) => J[j][4]) ? "#222" : "#aaa";
      ctx.fillText(name, gx[g] + 14, y + ROW / 2, BOX - 20);
    });
  }
  ctx.globalAlpha = 1;
  canvas.dataset.drawnGroups = groups;
  canvas.dataset.drawnEdges = edges;
}
function groupInFocus(g) {
  return G[g][4].some(([, js]) => js.some((j) => focusSet.has(j)));
}

// Pan, zoom, hover and click.
let drag = null;
canvas.addEventListener("mousedown", (e) => { drag = { x: e.clientX, y: e.clientY, moved: false }; });
window.addEventListener("mouseup", (e) => {
  if (drag && !drag.moved) click(e);
  drag = null;
});
canvas.addEventListener("mousemove", (e) => {
  if (drag) {
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
    view.x += dx; view.y += dy; drag.x = e.clientX; drag.y = e.clientY;
    draw();
    return;
  }
  const h = hit(e);
  const g = h ? h.group : -1;
  if (g !== hover) { hover = g; draw(); }
});
canvas.addEventListener("wheel", (e) => {
  e.preventDefault();
  const r = canvas.getBoundingClientRect(), mx = e.clientX - r.left, my = e.clientY - r.top;
  const k = Math.exp(-e.deltaY / 500), s = Math.min(4, Math.max(0.02, view.scale * k));
  view.x = mx - (mx - view.x) * (s / view.scale); view.y = my - (my - view.y) * (s / view.scale);
  view.scale = s;
  draw();
}, { passive: false });
function hit(e) {
  const r = canvas.getBoundingClientRect();
  const x = (e.clientX - r.left - view.x) / view.scale, y = (e.clientY - r.top - view.y) / view.scale;
  const layer = Math.floor(x / COL), members = byLayer[layer];
  if (!members || x - layer * COL > BOX) return null;
  for (const g of members) {
    if (y >= gy[g] && y <= gy[g] + gh[g]) {
      const row = Math.floor((y - gy[g] - HEAD) / ROW);
      return { group: g, item: y < gy[g] + HEAD ? -1 : row };
    }
  }
  return null;
}
function click(e) {
  const h = hit(e);
  if (!h) return;
  if (h.item < 0) {
    if (expanded.has(h.group)) expanded.delete(h.group); else expanded.add(h.group);
    place(); draw(); showGroup(h.group);
  } else if (h.item < G[h.group][4].length) {
    showJob(G[h.group][4][h.item][1][0]);
  }
}

// The side panel.
function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
function jobLink(i, extra) {
  return `<li data-job="${i}">${esc(J[i][0])}${extra ? " " + esc(extra) : ""}</li>`;
}
function showJob(i) {
  const sites = new Map(D.sites[J[i][7]].map(([f, at, by]) => [f, `${by}, ${at}`]));
  const rows = J[i][6].map(([f, v]) => {
    const name = D.fieldNames[f];
    const at = sites.get(name) || sites.get({ timeouts: "max_runtime", chunk: "chunks" }[name]) || "";
    return `<tr><td>${esc(name)}</td><td>${esc(JSON.stringify(D.values[v]))}</td><td class="at">${esc(at)}</td></tr>`;
  }).join("");
  const item = G[J[i][1]][4][J[i][2]][1];
  $("panel").innerHTML = `<h2>job</h2><p><strong id="panel-label">${esc(J[i][0])}</strong> ${J[i][4] ? "" : "(inactive)"}</p>
    <p><label><input type="checkbox" id="toggle-job" ${selected.has(i) ? "checked" : ""}> selected</label>
    <button id="focus-job">focus</button></p>
    ${item.length > 1 ? `<h2>chunks</h2><ol>${item.map((j) => jobLink(j)).join("")}</ol>` : ""}
    <h2>upstream</h2><ol>${J[i][5].map(([d, c]) => jobLink(d, `[${c}]`)).join("")}</ol>
    <h2>downstream</h2><ol>${down[i].map(([d, c]) => jobLink(d, `[${c}]`)).join("")}</ol>
    <h2>fields</h2><table>${rows}</table>`;
  $("toggle-job").onchange = (e) => { if (e.target.checked) selected.add(i); else selected.delete(i); selectionChanged(); };
  $("focus-job").onclick = () => setFocus(i);
}
function showGroup(g) {
  const all = G[g][4].flatMap(([, js]) => js);
  const on = all.every((j) => selected.has(j));
  $("panel").innerHTML = `<h2>group</h2><p><strong>${esc(G[g][0])}</strong> in graph ${esc(D.graphs[G[g][1]])}, ${all.length} jobs</p>
    <p><label><input type="checkbox" id="toggle-group" ${on ? "checked" : ""}> all selected</label></p>
    <ol>${all.map((j) => jobLink(j)).join("")}</ol>`;
  $("toggle-group").onchange = (e) => { all.forEach((j) => e.target.checked ? selected.add(j) : selected.delete(j)); selectionChanged(); };
}
document.addEventListener("click", (e) => {
  const li = e.target.closest && e.target.closest("li[data-job]");
  if (li) { const i = +li.dataset.job; showJob(i); reveal(i); }
});

// Selection: what `--select` gives is the chosen jobs and everything they depend on.
function closure() {
  const keep = new Uint8Array(N), stack = [...selected];
  stack.forEach((i) => { keep[i] = 1; });
  while (stack.length) for (const [d] of J[stack.pop()][5]) if (!keep[d]) { keep[d] = 1; stack.push(d); }
  return keep;
}
function selectArgs() {
  // A whole group is one glob when its labels' common prefix matches no other job.
  const terms = [], done = new Set();
  const groupsOf = new Map();
  for (const i of selected) groupsOf.set(J[i][1], (groupsOf.get(J[i][1]) || 0) + 1);
  for (const [g, n] of [...groupsOf].sort((a, b) => a[0] - b[0])) {
    const all = G[g][4].flatMap(([, js]) => js);
    if (n !== all.length || all.length < 2) continue;
    let prefix = J[all[0]][0];
    for (const j of all) while (!J[j][0].startsWith(prefix)) prefix = prefix.slice(0, -1);
    if (prefix.length < 3) continue;
    let exact = true;
    for (let i = 0; i < N && exact; i++) if (J[i][0].startsWith(prefix) && J[i][1] !== g) exact = false;
    if (!exact) continue;
    terms.push(prefix + "*");
    all.forEach((j) => done.add(j));
  }
  [...selected].sort((a, b) => a - b).forEach((i) => { if (!done.has(i)) terms.push(J[i][0]); });
  return terms.length ? `--select '${terms.join(",")}'` : "";
}
function selectionChanged() {
  const keep = closure();
  const labels = [];
  for (let i = 0; i < N; i++) if (keep[i]) labels.push(J[i][0]);
  $("select-args").textContent = selectArgs();
  $("selected-jobs").textContent = labels.join("\n");
  $("selected-count").textContent = `${selected.size} chosen, ${labels.length} jobs with their dependencies`;
  draw();
}
$("clear").onclick = () => { selected.clear(); selectionChanged(); };

// Search and focus.
function search(q) {
  let f;
  try { f = query(q); } catch (err) { $("status").textContent = `not a query: ${err.message}`; return; }
  matches = new Set();
  if (f) for (let i = 0; i < N; i++) if (f(i)) matches.add(i);
  const shown = [...matches].slice(0, 500);
  $("results").innerHTML = shown.map((i) => jobLink(i)).join("");
  $("status").textContent = f ? `${matches.size} jobs match` : "";
  if (shown.length) reveal(shown[0]);
  draw();
}
function setFocus(i) {
  focus = i;
  const depth = Math.max(1, +$("depth").value || 2), skip = $("skip-milestones").checked;
  focusSet = new Set([i]);
  const list = [];
  for (const [dir, next] of [["upstream", (j) => J[j][5]], ["downstream", (j) => down[j]]]) {
    const seen = new Set([i]);
    let frontier = [[i, 0]];
    while (frontier.length) {
      const [j, d] = frontier.pop();
      for (const [k] of next(j)) {
        if (seen.has(k)) continue;
        seen.add(k);
        // A milestone joins many jobs; skipped, it is passed through without costing depth.
        const through = skip && isMilestone(k), dk = through ? d : d + 1;
        if (dk > depth) continue;
        if (!through) { focusSet.add(k); list.push([dir, dk, k]); }
        frontier.push([k, dk]);
      }
    }
  }
  focusSet.forEach((j) => expanded.add(J[j][1]));
  place();
  $("focus-jobs").innerHTML = list.map(([dir, d, k]) =>
    `<li data-job="${k}" data-dir="${dir}" data-depth="${d}">${dir} ${d}: ${esc(J[k][0])}</li>`).join("");
  showJob(i); reveal(i);
}
function reveal(i) {
  const g = J[i][1];
  if (!expanded.has(g)) { expanded.add(g); place(); }
  const r = canvas.getBoundingClientRect();
  view.x = r.width / 3 - gx[g] * view.scale;
  view.y = r.height / 3 - (gy[g] + HEAD + J[i][2] * ROW) * view.scale;
  draw();
}
function overview() {
  focus = null; focusSet = null; expanded.clear(); place();
  $("focus-jobs").innerHTML = "";
  const r = canvas.getBoundingClientRect();
  let w = 0, h = 0;
  for (let g = 0; g < G.length; g++) { w = Math.max(w, gx[g] + BOX); h = Math.max(h, gy[g] + gh[g]); }
  view.scale = Math.min(1, Math.max(0.02, Math.min((r.width - 40) / (w || 1), (r.height - 40) / (h || 1))));
  view.x = 20; view.y = 20;
  draw();
}
$("overview").onclick = overview;
$("search").addEventListener("change", (e) => search(e.target.value));

// The URL fragment: #focus=LABEL, #select=GLOB,GLOB, #search=QUERY (joined by &).
function applyHash() {
  // Not URLSearchParams, which reads `+` (a label character) as a space.
  const args = new Map(location.hash.slice(1).split("&").filter(Boolean).map((kv) => {
    const at = kv.indexOf("=");
    return at < 0 ? [kv, ""] : [kv.slice(0, at), decodeURIComponent(kv.slice(at + 1))];
  }));
  if (args.has("search")) { $("search").value = args.get("search"); search(args.get("search")); }
  if (args.has("select")) {
    const f = query(args.get("select").split(",").join(" "));
    selected.clear();
    if (f) for (let i = 0; i < N; i++) if (f(i)) selected.add(i);
    selectionChanged();
  }
  if (args.has("focus")) {
    const i = byLabel.get(args.get("focus"));
    if (i === undefined) $("status").textContent = `no job is labelled ${args.get("focus")}`;
    else setFocus(i);
  }
}
window.addEventListener("hashchange", applyHash);
window.addEventListener("resize", resize);

T.edges = performance.now();
$("title").textContent = `${D.branch} ${D.trigger}: ${N} jobs in ${G.length} groups`;
place();
resize();
overview();
selectionChanged();
applyHash();
// Everything above drew nothing: the first frame is drawn once, here.
holdDraw = false;
draw();
T.drawn = performance.now();
// When the page became interactive, from the start of its navigation (for the benchmark).
document.documentElement.dataset.readyMs = Math.round(performance.now());
document.documentElement.dataset.stagesMs = Object.entries(T).map(([k, v]) => `${k} ${Math.round(v)}`).join(", ");
document.documentElement.dataset.ready = "true";
