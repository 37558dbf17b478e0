// The page's start: the first frame once everything is placed (after page.js and try.js).
T.edges = performance.now();
$("title").textContent = `${D.branch} ${D.trigger}: ${N} jobs in ${G.length} groups`;
summaries();
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
