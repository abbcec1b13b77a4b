#!/usr/bin/env node
// yaml2json.cjs MODULES OUT_DIR FILE...: writes each YAML FILE as OUT_DIR/<n>.json (n = its
// position) and prints one line per file, "<json path>\t<yaml path>". YAML 1.2 core schema, as
// yaml-cpp reads it; duplicate keys are errors, as in goap. A file that does not parse is
// reported on stderr and makes the exit status 1. MODULES is the folder tools/schema/setup.sh
// installed into (the `yaml` package is loaded from there).
"use strict";
const fs = require("fs");
const path = require("path");

const [modules, outDir, ...files] = process.argv.slice(2);
if (!modules || !outDir) {
  console.error("usage: yaml2json.cjs MODULES OUT_DIR FILE...");
  process.exit(2);
}
const YAML = require(require.resolve("yaml", { paths: [modules] }));
fs.mkdirSync(outDir, { recursive: true });
let failed = false;
files.forEach((file, i) => {
  const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { version: "1.2", uniqueKeys: true });
  if (doc.errors.length > 0) {
    console.error(`${file}: ${doc.errors[0].message}`);
    failed = true;
    return;
  }
  const out = path.join(outDir, `${i}.json`);
  fs.writeFileSync(out, JSON.stringify(doc.toJS(), null, 2));
  console.log(`${out}\t${file}`);
});
process.exit(failed ? 1 : 0);
