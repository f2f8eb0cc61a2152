// Runs a schema test suite in the JSON-Schema-Test-Suite format with Ajv:
//   node schema_suite.mjs DIR
// reads every DIR/**/*.json (a list of groups {"description", "schema", "tests": [{"description",
// "data", "valid"}]}, where "schema" $refs a communique schema by its $id), and prints
// {"files", "cases", "mismatches": [{"file", "group", "test", "expected", "got", "errors"}]}.
// Exits 1 when a case's verdict differs from its "valid", or when there is no suite file.
import { communiqueAjv } from "./ajv.mjs";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2];
const files = (existsSync(root) ? readdirSync(root, { recursive: true }) : []).filter((name) => name.endsWith(".json")).sort();
const ajv = communiqueAjv();
const mismatches = [];
let cases = 0;
for (const file of files) {
  for (const group of JSON.parse(readFileSync(join(root, file), "utf8"))) {
    let validate;
    try {
      validate = ajv.compile(group.schema);
    } catch (error) {
      mismatches.push({ file, group: group.description, test: null, expected: null, got: null, errors: [String(error.message)] });
      continue;
    }
    for (const test of group.tests) {
      cases += 1;
      const got = validate(test.data);
      if (got !== test.valid) {
        const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
        mismatches.push({ file, group: group.description, test: test.description, expected: test.valid, got, errors });
      }
    }
  }
}
console.log(JSON.stringify({ files, cases, mismatches }, null, 1));
process.exitCode = files.length === 0 || mismatches.length > 0 ? 1 : 0;
