// The Ajv a project using @communique-project/schema sets up: draft 2020-12, formats
// asserted (a `date` must be a real day), every error, every schema version registered under
// its $id from the package's entry module, and strict mode, relaxed only where our schema's
// style needs it (RELAXED; the tests check that each relaxation is still needed):
// - strictRequired: `required` names properties declared elsewhere: the anyOf branches that
//   say "give start or within", party's if/then/else and not, and co_chair and related_rounds'
//   items, which require properties of the definition they $ref.
// - strictTypes: co_chair and related_rounds' items say `required` and `properties` without
//   `type: "object"`, which the definition they $ref says.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { schemas } from "@communique-project/schema";

export const RELAXED = { strictRequired: false, strictTypes: false };

export function communiqueAjv(options = {}) {
  const ajv = new Ajv2020({ strict: true, ...RELAXED, allErrors: true, ...options });
  addFormats.default(ajv);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv;
}

/** The compiled validator of every version, by version (throws if one does not compile). */
export function compileEveryVersion(ajv) {
  return Object.fromEntries(Object.entries(schemas).map(([version, schema]) => [version, ajv.getSchema(schema.$id)]));
}
