// Another project validates its own documents with a schema that $refs ours: it adds the
// shipped schema file, imported by its package path (no entry module), then compiles its own.
// Reads a list of documents on stdin; writes, for each, the instance paths Ajv finds fault with
// (each once, sorted).
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import communique from "@communique-project/schema/1.2/record.schema.json" with { type: "json" };
import index from "./meeting-index.schema.json" with { type: "json" };
import { readFileSync } from "node:fs";

const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(communique);
const validate = ajv.compile(index);
const documents = JSON.parse(readFileSync(0, "utf8"));
const faults = (d) => (validate(d) ? [] : [...new Set(validate.errors.map((e) => e.instancePath))].sort());
console.log(JSON.stringify(documents.map(faults)));
