"use strict";
// taskgen view. The data (see src/view/mod.rs): jobs are
// [label, group, item, layer, active, [[dependency, condition]...], [[field name, value]...], site];
// groups are [name, graph, layer, order, [[item name, [job...]]...]]; clusters are
// [name, parent or -1, graph, [node...]] and `home` is each group's cluster. The layout is
// already computed: this page only stacks what is open and draws what is on screen.
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
    graph: field(i, "graph"), job: field(i, "job"), active: String(!!J[i][4]),
    status: D.simulate && D.simulate.status[i] >= 0 ? D.simulate.statuses[D.simulate.status[i]] : undefined };
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

// Nodes: a group is node g, a cluster (a graph, or the groups of one kind in it) node NG + c.
const NG = G.length, C = D.clusters, M = NG + C.length;
const children = (n) => (n < NG ? [] : C[n - NG][3]);
const parentOf = new Int32Array(M).fill(-1);
D.home.forEach((c, g) => { parentOf[g] = NG + c; });
C.forEach(([, p], c) => { if (p >= 0) parentOf[NG + c] = NG + p; });
const roots = [];
for (let n = NG; n < M; n++) if (parentOf[n] < 0) roots.push(n);
// Nodes, children before parents: groups, then clusters backwards (a cluster comes after
// its parent), so that sums run up the tree in one pass.
const upwards = Int32Array.from({ length: M }, (_, k) => (k < NG ? k : M - 1 - (k - NG)));
// Each node's layers, jobs and groups, and how many clusters deep it holds.
const lo = new Int32Array(M).fill(1 << 30), hi = new Int32Array(M), jobsIn = new Int32Array(M),
  groupsIn = new Int32Array(M), level = new Int32Array(M);
G.forEach((g, i) => { lo[i] = hi[i] = g[2]; groupsIn[i] = 1; jobsIn[i] = g[4].reduce((s, [, js]) => s + js.length, 0); });
for (const n of upwards) {
  const p = parentOf[n];
  if (p < 0) continue;
  lo[p] = Math.min(lo[p], lo[n]); hi[p] = Math.max(hi[p], hi[n]);
  jobsIn[p] += jobsIn[n]; groupsIn[p] += groupsIn[n]; level[p] = Math.max(level[p], level[n] + 1);
}
const nodeName = (n) => (n < NG ? G[n][0] : C[n - NG][0]);

// State. `open`: groups showing their rows, clusters showing their members.
const open = new Set();
const selected = new Set();
let matches = new Set(), focus = null, focusSet = null, hover = { node: -1, job: -1 }, trail = null;
const view = { scale: 1, x: 20, y: 20 };
const canvas = $("canvas"), ctx = canvas.getContext("2d");
const COL = 280, BOX = 244, HEAD = 22, ROW = 16, GAP = 10, PAD = 5;
// The smallest scale whose words can be read.
const READABLE = 0.7;
const nx = new Float64Array(M), ny = new Float64Array(M), nw = new Float64Array(M), nh = new Float64Array(M);
// What is on screen after `place()`: leaves (groups, closed clusters) and frames (open clusters).
let leaves = [], frames = [];
const vis = new Int32Array(NG);

function isShown(n) {
  for (let p = parentOf[n]; p >= 0; p = parentOf[p]) if (!open.has(p)) return false;
  return true;
}
// Stacks a node's members column by column: each goes as high as the columns it spans allow.
function placeNode(n, y) {
  const cluster = n >= NG, pad = cluster && open.has(n) ? PAD * (level[n] + 1) : 0;
  nx[n] = lo[n] * COL - pad; nw[n] = (hi[n] - lo[n]) * COL + BOX + 2 * pad; ny[n] = y;
  if (!cluster) { nh[n] = HEAD + (open.has(n) ? G[n][4].length * ROW + 4 : 0); leaves.push(n); return; }
  if (!open.has(n)) { nh[n] = HEAD; leaves.push(n); return; }
  frames.push(n);
  nh[n] = HEAD + stack(children(n), lo[n], hi[n], y + HEAD) - (y + HEAD) + pad;
}
function stack(members, from, to, y0) {
  const sky = new Float64Array(to - from + 1).fill(y0);
  let bottom = y0;
  for (const m of members) {
    let y = y0;
    for (let l = lo[m]; l <= hi[m]; l++) y = Math.max(y, sky[l - from]);
    placeNode(m, y);
    for (let l = lo[m]; l <= hi[m]; l++) sky[l - from] = y + nh[m] + GAP;
    bottom = Math.max(bottom, y + nh[m]);
  }
  return bottom;
}
function stackRoots() {
  leaves = []; frames = [];
  stack(roots, Math.min(...roots.map((r) => lo[r])), Math.max(...roots.map((r) => hi[r])), 0);
}
function place() {
  stackRoots();
  for (let g = 0; g < NG; g++) {
    let v = g;
    for (let p = parentOf[g]; p >= 0; p = parentOf[p]) if (!open.has(p)) v = p;
    vis[g] = v;
  }
  edgesOfVisible();
  flag();
}

// Each pair of groups with the condition its dependencies share ("mixed" when they differ),
// and the same between what is on screen.
const merge = (was, c) => (was === undefined || was === c ? c : "mixed");
const groupEdges = new Map();
J.forEach((j, i) => j[5].forEach(([d, c]) => {
  const a = J[d][1], b = j[1];
  if (a !== b) groupEdges.set(a * NG + b, merge(groupEdges.get(a * NG + b), c));
}));
let shownEdges = new Map();
function edgesOfVisible() {
  shownEdges = new Map();
  for (const [key, c] of groupEdges) {
    const a = vis[Math.floor(key / NG)], b = vis[key % NG];
    if (a !== b) shownEdges.set(a * M + b, merge(shownEdges.get(a * M + b), c));
  }
}
const STYLES = {
  success: ["#8a8a8a", []], finished: ["#2f6fbf", [6, 4]], failure: ["#c0392b", [2, 3]],
  mixed: ["#8e44ad", [10, 3, 2, 3]], other: ["#d68910", [4, 2]],
};
const styleOf = (c) => STYLES[c] || STYLES.other;

// Comparison and play colours, when the page was written with them.
const CMP = { added: "#2471a3", changed: "#af601a" };
const compareOf = new Uint8Array(N), changedFields = new Map();
if (D.compare) {
  D.compare.added.forEach((i) => { compareOf[i] = 1; });
  D.compare.changed.forEach(([i, fs]) => { compareOf[i] = 2; changedFields.set(i, fs); });
}
const SIM = D.simulate;
const STATUS_COLOR = { success: "#27ae60", warnings: "#f1c40f", failure: "#c0392b", exception: "#8e44ad",
  cancelled: "#7f8c8d", "timed-out": "#d35400", skipped: "#bdc3c7", pending: "#5dade2" };
// Which status a node shows: the gravest of its jobs'.
const GRAVITY = ["success", "skipped", "warnings", "pending", "cancelled", "timed-out", "exception", "failure"];
const gravity = SIM ? SIM.statuses.map((s) => GRAVITY.indexOf(s)) : [];

const legend = Object.entries({
  success: "needs success", finished: "needs finished (any end)", failure: "needs failure",
  mixed: "jobs of the groups differ", other: "other statuses" }).map(([k, t]) =>
  `<div><span class="swatch" style="border-color:${STYLES[k][0]};border-top-style:${STYLES[k][1].length ? "dashed" : "solid"}"></span>${t}</div>`);
if (D.compare) legend.push(`<div><span class="chip" style="background:${CMP.added}"></span>added <span class="chip" style="background:${CMP.changed}"></span>changed, against ${esc(D.compare.against)}</div>`);
if (SIM) legend.push("<div>" + SIM.statuses.map((s) => `<span class="chip" style="background:${STATUS_COLOR[s]}"></span>${s}`).join(" ") + "</div>");
$("legend").innerHTML = "<h2>dependencies</h2>" + legend.join("") +
  "<div>grey text: inactive · bold outline: focused · yellow: search match · green: selected · orange: hovered job's dependency trail</div>";

// Per node, what its jobs have: a bit each, and the gravest status.
const F = { active: 1, selected: 2, match: 4, focus: 8, trail: 16, added: 32, changed: 64 };
const flags = new Uint8Array(M), status = new Int8Array(M);
function jobFlags(i) {
  return (J[i][4] ? F.active : 0) | (selected.has(i) ? F.selected : 0) | (matches.has(i) ? F.match : 0) |
    (focusSet && focusSet.has(i) ? F.focus : 0) | (trail && trail[i] ? F.trail : 0) |
    (compareOf[i] === 1 ? F.added : compareOf[i] === 2 ? F.changed : 0);
}
function jobStatus(i) {
  return SIM ? SIM.status[i] : -1;
}
function graver(a, b) {
  return b < 0 ? a : a < 0 || gravity[b] > gravity[a] ? b : a;
}
function flag() {
  flags.fill(0); status.fill(-1);
  for (let i = 0; i < N; i++) { const g = J[i][1]; flags[g] |= jobFlags(i); status[g] = graver(status[g], jobStatus(i)); }
  for (const n of upwards) {
    const p = parentOf[n];
    if (p >= 0) { flags[p] |= flags[n]; status[p] = graver(status[p], status[n]); }
  }
}

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
// The edges the hovered job's trail runs along, between the nodes on screen.
let trailEdges = new Set();
function setHover(h) {
  if (h.node === hover.node && h.job === hover.job) return;
  const sameJob = h.job === hover.job;
  hover = h;
  // Moving between groups changes only the outline: the trail, and the flags, stay.
  if (sameJob) { draw(); return; }
  trail = h.job >= 0 ? dependencyTrail(h.job) : null;
  trailEdges = new Set();
  if (trail) for (let i = 0; i < N; i++) if (trail[i]) for (const [d] of J[i][5]) {
    const a = vis[J[d][1]], b = vis[J[i][1]];
    if (trail[d] && a !== b) trailEdges.add(a * M + b);
  }
  let n = 0;
  if (trail) for (let i = 0; i < N; i++) n += trail[i];
  canvas.dataset.trailJobs = n;
  $("trail-jobs").textContent = trail ? J.filter((_, i) => trail[i]).map((j) => j[0]).join("\n") : "";
  flag(); draw();
}
// Everything a job waits for and everything that waits for it, however far.
function dependencyTrail(i) {
  const mark = new Uint8Array(N);
  mark[i] = 1;
  for (const next of [(j) => J[j][5], (j) => down[j]]) {
    const stack = [i];
    const seen = new Uint8Array(N);
    while (stack.length) for (const [k] of next(stack.pop())) if (!seen[k]) { seen[k] = 1; mark[k] = 1; stack.push(k); }
  }
  return mark;
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
  const seen = (n) => nx[n] + nw[n] >= v.x0 && nx[n] <= v.x1 && ny[n] + nh[n] >= v.y0 && ny[n] <= v.y1;
  const words = view.scale * 12 >= 5;
  ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "middle";
  ctx.lineWidth = px;
  for (const n of frames) {
    if (!seen(n)) continue;
    ctx.globalAlpha = focusSet && !(flags[n] & F.focus) ? 0.35 : 1;
    ctx.fillStyle = n - NG < D.graphs.length ? "rgba(52,152,219,0.06)" : "rgba(0,0,0,0.035)";
    ctx.strokeStyle = "#b8c4ce";
    ctx.fillRect(nx[n], ny[n], nw[n], nh[n]); ctx.strokeRect(nx[n], ny[n], nw[n], nh[n]);
    if (words) { ctx.fillStyle = "#456"; ctx.fillText(`▾ ${nodeName(n)} · ${count(n)}`, nx[n] + 6, ny[n] + HEAD / 2, nw[n] - 12); }
  }
  const paths = new Map();
  let edges = 0;
  for (const [key, c] of shownEdges) {
    const a = Math.floor(key / M), b = key % M;
    const x0 = nx[a] + nw[a], y0 = ny[a] + HEAD / 2, x1 = nx[b], y1 = ny[b] + HEAD / 2;
    if (Math.max(x0, x1) < v.x0 || Math.min(x0, x1) > v.x1 || Math.max(y0, y1) < v.y0 || Math.min(y0, y1) > v.y1) continue;
    const lit = trail ? trailEdges.has(key) : a === hover.node || b === hover.node;
    const faded = (focusSet && !(flags[a] & flags[b] & F.focus)) || (trail && !lit);
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
  ctx.setLineDash([]); ctx.globalAlpha = 1; ctx.lineWidth = px;
  let drawn = 0;
  for (const n of leaves) {
    if (!seen(n)) continue;
    drawn++;
    const f = flags[n];
    ctx.globalAlpha = !(f & F.active) || (focusSet && !(f & F.focus)) ? 0.35 : 1;
    ctx.fillStyle = f & F.selected ? "#d5f5e3" : f & F.match ? "#fcf3cf" : n >= NG ? "#eef3f7" : "#fff";
    ctx.strokeStyle = n === hover.node || f & F.trail ? "#e67e22" : "#999";
    ctx.fillRect(nx[n], ny[n], nw[n], nh[n]); ctx.strokeRect(nx[n], ny[n], nw[n], nh[n]);
    marks(f, status[n], nx[n], ny[n], nw[n], HEAD);
    if (!words) continue;
    ctx.fillStyle = "#222";
    ctx.fillText(`${open.has(n) ? "▾" : "▸"} ${nodeName(n)}${n >= NG ? " · " + count(n) : jobsIn[n] === 1 ? "" : ` (${jobsIn[n]})`}`,
      nx[n] + 8, ny[n] + HEAD / 2, nw[n] - 24);
    if (n < NG && open.has(n)) rows(n, v, px);
  }
  ctx.globalAlpha = 1;
  canvas.dataset.drawnGroups = drawn;
  canvas.dataset.drawnEdges = edges;
}
function count(n) {
  return n < NG ? `${jobsIn[n]} jobs` : `${groupsIn[n]} groups, ${jobsIn[n]} jobs`;
}
// A comparison stripe on the left, a status square on the right.
function marks(f, st, x, y, w, h) {
  if (f & (F.added | F.changed)) { ctx.fillStyle = f & F.changed ? CMP.changed : CMP.added; ctx.fillRect(x, y, 4, h); }
  if (st >= 0) { ctx.fillStyle = STATUS_COLOR[SIM.statuses[st]]; ctx.fillRect(x + w - 12, y + h / 2 - 4, 8, 8); }
}
function rows(g, v, px) {
  G[g][4].forEach(([name, js], k) => {
    const y = ny[g] + HEAD + k * ROW;
    if (y > v.y1 || y + ROW < v.y0) return;
    let f = 0, st = -1;
    for (const j of js) { f |= jobFlags(j); st = graver(st, jobStatus(j)); }
    if (f & F.selected) { ctx.fillStyle = "#abebc6"; ctx.fillRect(nx[g] + 2, y, BOX - 4, ROW); }
    else if (f & F.match) { ctx.fillStyle = "#f9e79f"; ctx.fillRect(nx[g] + 2, y, BOX - 4, ROW); }
    if (f & F.trail) { ctx.fillStyle = "rgba(230,126,34,0.18)"; ctx.fillRect(nx[g] + 2, y, BOX - 4, ROW); }
    if (focus !== null && js.includes(focus)) {
      ctx.strokeStyle = "#000"; ctx.lineWidth = 2.5 * px;
      ctx.strokeRect(nx[g] + 2, y, BOX - 4, ROW);
      ctx.lineWidth = px;
    }
    marks(f, st, nx[g] + 2, y, BOX - 4, ROW);
    ctx.fillStyle = f & F.active ? "#222" : "#aaa";
    ctx.fillText(name, nx[g] + 14, y + ROW / 2, BOX - 32);
  });
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
  const row = h && h.node < NG && h.item >= 0 ? G[h.node][4][h.item] : null;
  setHover({ node: h ? h.node : -1, job: row ? row[1][0] : -1 });
});
canvas.addEventListener("wheel", (e) => {
  e.preventDefault();
  const r = canvas.getBoundingClientRect(), mx = e.clientX - r.left, my = e.clientY - r.top;
  const k = Math.exp(-e.deltaY / 500), s = Math.min(4, Math.max(0.01, view.scale * k));
  view.x = mx - (mx - view.x) * (s / view.scale); view.y = my - (my - view.y) * (s / view.scale);
  view.scale = s;
  draw();
}, { passive: false });
function hit(e) {
  const r = canvas.getBoundingClientRect();
  const x = (e.clientX - r.left - view.x) / view.scale, y = (e.clientY - r.top - view.y) / view.scale;
  const inside = (n) => x >= nx[n] && x <= nx[n] + nw[n] && y >= ny[n] && y <= ny[n] + nh[n];
  for (const n of leaves) if (inside(n)) {
    const row = Math.floor((y - ny[n] - HEAD) / ROW);
    return { node: n, item: y < ny[n] + HEAD || n >= NG || row >= G[n][4].length ? -1 : row };
  }
  // An open cluster's title: the innermost one wins.
  for (let k = frames.length - 1; k >= 0; k--) {
    const n = frames[k];
    if (inside(n) && y <= ny[n] + HEAD) return { node: n, item: -1 };
  }
  return null;
}
function click(e) {
  const h = hit(e);
  if (!h) return;
  if (h.item < 0) {
    toggle(h.node);
    if (h.node < NG) showGroup(h.node); else showCluster(h.node);
  } else {
    showJob(G[h.node][4][h.item][1][0]);
  }
}
function toggle(n) {
  if (open.has(n)) open.delete(n); else open.add(n);
  place(); draw();
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
  const compared = !D.compare ? "" : compareOf[i] === 1 ? `<p id="panel-compare">added since ${esc(D.compare.against)}</p>`
    : compareOf[i] === 2 ? `<p id="panel-compare">changed since ${esc(D.compare.against)}: ${esc(changedFields.get(i).join(", "))}</p>` : "";
  const played = !SIM ? "" : SIM.status[i] < 0 ? "<p>not played (inactive)</p>" : playedText(i);
  $("panel").innerHTML = `<h2>job</h2><p><strong id="panel-label">${esc(J[i][0])}</strong> ${J[i][4] ? "" : "(inactive)"}</p>
    ${compared}${played}
    <p><label><input type="checkbox" id="toggle-job" ${selected.has(i) ? "checked" : ""}> selected</label>
    <button id="focus-job">focus</button></p>
    ${item.length > 1 ? `<h2>chunks</h2><ol>${item.map((j) => jobLink(j)).join("")}</ol>` : ""}
    <h2>upstream</h2><ol>${J[i][5].map(([d, c]) => jobLink(d, `[${c}]`)).join("")}</ol>
    <h2>downstream</h2><ol>${down[i].map(([d, c]) => jobLink(d, `[${c}]`)).join("")}</ol>
    <h2>fields</h2><table>${rows}</table>`;
  $("toggle-job").onchange = (e) => { if (e.target.checked) selected.add(i); else selected.delete(i); selectionChanged(); };
  $("focus-job").onclick = () => setFocus(i);
}
function playedText(i) {
  const [start, end] = SIM.times[i] || [null, null], why = SIM.because.find(([j]) => j === i);
  const at = (s) => (s === null ? "–" : `${s} s`);
  return `<p id="panel-status"><span class="chip" style="background:${STATUS_COLOR[SIM.statuses[SIM.status[i]]]}"></span>` +
    `${SIM.statuses[SIM.status[i]]}, from ${at(start)} to ${at(end)}</p>` +
    (why ? `<ol class="because">${why[1].map((b) => `<li>${esc(b)}</li>`).join("")}</ol>` : "");
}
function jobsUnder(n) {
  if (n < NG) return G[n][4].flatMap(([, js]) => js);
  return children(n).flatMap(jobsUnder);
}
function showCluster(n) {
  const c = C[n - NG];
  $("panel").innerHTML = `<h2>${n - NG < D.graphs.length ? "graph" : "kind"}</h2><p><strong>${esc(c[0])}</strong>` +
    `${n - NG < D.graphs.length ? "" : ` in graph ${esc(D.graphs[c[2]])}`}: ${count(n)}</p>` +
    `<p>${open.has(n) ? "Open: click its title to close it." : "Closed: click it to open it."}</p>`;
}
function showGroup(g) {
  const all = jobsUnder(g);
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
function closure(chosen) {
  const keep = new Uint8Array(N), stack = [...chosen];
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
  const labels = labelsOf(closure(selected));
  $("select-args").textContent = selectArgs();
  $("selected-jobs").textContent = labels.join("\n");
  $("selected-count").textContent = `${selected.size} chosen, ${labels.length} jobs with their dependencies`;
  tryLine();
  flag(); draw();
}
$("clear").onclick = () => { selected.clear(); selectionChanged(); };

function indexes(marks) {
  const out = [];
  for (let i = 0; i < N; i++) if (marks[i]) out.push(i);
  return out;
}
function labelsOf(marks) {
  return indexes(marks).map((i) => J[i][0]);
}

// The comparison and the play, when the page was written with them.
function summaries() {
  if (D.compare) {
    const c = D.compare;
    $("compare").hidden = false;
    $("compare-summary").textContent = `against ${c.against}: ${c.added.length} added, ${c.changed.length} changed, ${c.removed.length} removed` +
      (c.graphsAdded.length || c.graphsRemoved.length ? `; graphs ${c.graphsAdded.length} added, ${c.graphsRemoved.length} removed` : "");
    $("compare-added").innerHTML = c.added.map((i) => jobLink(i)).join("");
    $("compare-changed").innerHTML = c.changed.map(([i, fs]) => jobLink(i, `(${fs.join(", ")})`)).join("");
    $("compare-removed").innerHTML = c.removed.map((l) => `<li>${esc(l)}</li>`).join("");
  }
  if (SIM) {
    $("played").hidden = false;
    $("played-summary").innerHTML = `${esc(SIM.rules)} rules, everything ends after ${esc(SIM.makespan)}: ` +
      SIM.summary.map(([s, n]) => `<span class="chip" style="background:${STATUS_COLOR[s]}"></span>${n} ${esc(s)}`).join(" ");
    const unhappy = [];
    for (let i = 0; i < N; i++) if (SIM.status[i] >= 0 && SIM.statuses[SIM.status[i]] !== "success") unhappy.push(i);
    const LIST = 500;
    $("played-unhappy").innerHTML = unhappy.slice(0, LIST).map((i) => jobLink(i, SIM.statuses[SIM.status[i]])).join("") +
      (unhappy.length > LIST ? `<li>and ${unhappy.length - LIST} more (search status=NAME)</li>` : "");
    $("played-critical").innerHTML = SIM.critical.map((i) => jobLink(i)).join("");
  }
}

// Search and focus.
function search(q) {
  let f;
  try { f = query(q); } catch (err) { $("status").textContent = `not a query: ${err.message}`; return; }
  matches = new Set();
  if (f) for (let i = 0; i < N; i++) if (f(i)) matches.add(i);
  const shown = [...matches].slice(0, 500);
  $("results").innerHTML = shown.map((i) => jobLink(i)).join("");
  $("status").textContent = f ? `${matches.size} jobs match` : "";
  flag();
  if (shown.length) reveal(shown[0]); else draw();
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
  focusSet.forEach((j) => openTo(J[j][1]));
  place();
  $("focus-jobs").innerHTML = list.map(([dir, d, k]) =>
    `<li data-job="${k}" data-dir="${dir}" data-depth="${d}">${dir} ${d}: ${esc(J[k][0])}</li>`).join("");
  showJob(i);
  // The whole neighbourhood on screen when it fits readably; else the job, near the top.
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const j of focusSet) {
    const g = J[j][1], y = ny[g] + HEAD + J[j][2] * ROW;
    x0 = Math.min(x0, nx[g]); x1 = Math.max(x1, nx[g] + nw[g]); y0 = Math.min(y0, y); y1 = Math.max(y1, y + ROW);
  }
  const r = canvas.getBoundingClientRect();
  const fit = Math.min(1, (r.width - 40) / (x1 - x0), (r.height - 40) / (y1 - y0));
  if (fit >= READABLE) {
    view.scale = fit;
    view.x = (r.width - (x1 - x0) * fit) / 2 - x0 * fit; view.y = (r.height - (y1 - y0) * fit) / 2 - y0 * fit;
    draw();
  } else reveal(i);
}
// Opens a group and every cluster around it.
function openTo(g) {
  for (let n = g; n >= 0; n = parentOf[n]) open.add(n);
}
function reveal(i) {
  const g = J[i][1];
  if (!open.has(g) || !isShown(g)) { openTo(g); place(); }
  const r = canvas.getBoundingClientRect();
  view.scale = Math.max(view.scale, 1);
  view.x = r.width / 3 - nx[g] * view.scale;
  view.y = r.height / 3 - (ny[g] + HEAD + J[i][2] * ROW) * view.scale;
  draw();
}
// The overview: clusters opened outermost first, each only if the picture still fits the
// screen at a scale where its words can be read.
function fitScale() {
  const r = canvas.getBoundingClientRect();
  let w = 0, h = 0;
  for (const n of roots) { w = Math.max(w, nx[n] + nw[n]); h = Math.max(h, ny[n] + nh[n]); }
  return { width: (r.width - 40) / (w || 1), height: (r.height - 40) / (h || 1) };
}
function overview() {
  focus = null; focusSet = null; open.clear();
  $("focus-jobs").innerHTML = "";
  const queue = [...roots];
  while (queue.length) {
    const n = queue.shift();
    open.add(n);
    stackRoots();
    // Columns are few (a graph's depth), rows are many: the height decides.
    if (fitScale().height < READABLE) { open.delete(n); continue; }
    queue.push(...children(n).filter((m) => m >= NG));
  }
  place();
  const fit = fitScale();
  // Too wide to read whole: readable, and panned sideways.
  view.scale = Math.max(0.01, Math.min(1, fit.height, Math.max(fit.width, READABLE)));
  view.x = 20; view.y = 20;
  canvas.dataset.shownNodes = leaves.length;
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
    // Globs are tried one by one, to name any that matches nothing; an attribute query whole.
    const value = args.get("select"), none = [];
    const globs = value.includes("=") ? [value.split(",").join(" ")] : value.split(",").filter(Boolean);
    selected.clear();
    for (const glob of globs) {
      let f;
      try { f = query(glob); } catch (err) { none.push(`${glob} (${err.message})`); continue; }
      if (!f) continue;
      let found = false;
      for (let i = 0; i < N; i++) if (f(i)) { selected.add(i); found = true; }
      if (!found) none.push(glob);
    }
    selectionChanged();
    if (none.length) $("status").textContent = `no job matches ${none.join(", ")}`;
  }
  if (args.has("trail")) {
    const i = byLabel.get(args.get("trail"));
    if (i === undefined) $("status").textContent = `no job is labelled ${args.get("trail")}`;
    else { reveal(i); setHover({ node: J[i][1], job: i }); }
  }
  if (args.has("focus")) {
    const i = byLabel.get(args.get("focus"));
    if (i === undefined) $("status").textContent = `no job is labelled ${args.get("focus")}`;
    else setFocus(i);
  }
}
window.addEventListener("hashchange", applyHash);
window.addEventListener("resize", resize);
