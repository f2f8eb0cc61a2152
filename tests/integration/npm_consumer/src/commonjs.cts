// A CommonJS module of another project: require() gets the same names and types as import.
import { latest, schemaFor, versions, type RecordTypes, type v1_2 } from "@communique-project/schema";

export const host: v1_2.Party = { id: "be", name: "Belgium", kind: "state", country: "BE" };
export const ids: string[] = versions.map((version) => schemaFor(version).$id);
export function latestRecordId(record: RecordTypes[typeof latest]): string {
  return record.id;
}
