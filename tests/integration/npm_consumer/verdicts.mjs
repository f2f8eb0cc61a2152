// Ajv's verdict on records: reads [{"name", "version", "data"}] on stdin, writes
// {"compiled": [versions], "verdicts": {name: {"valid", "errors"}}, "relaxations_needed": [...]}.
// A case whose version the package does not carry is checked against every version, and is
// valid only if one accepts it.
import { communiqueAjv, compileEveryVersion, RELAXED } from "./ajv.mjs";
import { readFileSync } from "node:fs";

const cases = JSON.parse(readFileSync(0, "utf8"));
const validators = compileEveryVersion(communiqueAjv());

const verdicts = {};
for (const { name, version, data } of cases) {
  const chosen = validators[version] ? [validators[version]] : Object.values(validators);
  const errors = [];
  let valid = false;
  for (const validate of chosen) {
    if (validate(data)) valid = true;
    else errors.push(...validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`));
  }
  verdicts[name] = { valid, errors: valid ? [] : errors };
}

// Each relaxation of strict mode, turned back on alone: is there a version it refuses?
const relaxationsNeeded = Object.keys(RELAXED).filter((option) => {
  try {
    compileEveryVersion(communiqueAjv({ [option]: true }));
    return false;
  } catch {
    return true;
  }
});

console.log(JSON.stringify({ compiled: Object.keys(validators), verdicts, relaxations_needed: relaxationsNeeded }));
