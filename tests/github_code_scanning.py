"""What GitHub code scanning requires of an uploaded SARIF file, beyond the SARIF 2.1.0
schema: `violations(text)` lists every rule a file breaks, so that a test can hold the
tool's output to what GitHub ingests, not only to what the schema allows.

Each rule cites where it comes from:

- DOCS: "SARIF support for code scanning", the required properties of each object
  https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support
- LIMITS: "SARIF results exceed one or more limits" (hard limits; a file over one is rejected)
  https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
- SIZE: "SARIF file is too large" (10 MB, gzip-compressed, is the most code scanning accepts)
  https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/troubleshoot-sarif-uploads/file-too-large
- INGEST: the errors code scanning answers an upload with, as users met them: a result
  with no location fails with "locationFromSarifResult: expected at least one location",
  one whose uri is missing or empty with "locationFromSarifResult: expected artifact
  location" (microsoft/sarif-sdk issues #2286, #2694 and pull request #2704); the SARIF
  multitool's "GitHub ingestion rules" say the same (GH1001: a uri in every location,
  GH1003: a region with at least startLine, src/Sarif.Multitool.Library/Rules/)
- FINGERPRINTS: github/codeql-action src/fingerprints.ts (resolveUriToFile): a uri is
  resolved against the checkout, a file: URI only when it lies inside it, and any other
  scheme is ignored; without partialFingerprints, an upload through the API shows
  duplicate alerts (DOCS, "Data for preventing duplicated alerts").
"""

from __future__ import annotations

import gzip
import json
from urllib.parse import urlsplit

MAX_RUNS = 20  # LIMITS: runs per file
MAX_RESULTS = 25_000  # LIMITS: results per run
MAX_RULES = 25_000  # LIMITS: rules per run
MAX_LOCATIONS = 1_000  # LIMITS: locations per result
MAX_TAGS = 20  # LIMITS: tags per rule
MAX_GZIP_BYTES = 10 * 1024 * 1024  # SIZE
LEVELS = {"none", "note", "warning", "error"}  # DOCS: result.level


def violations(text: str) -> list[str]:
    """Every way the SARIF `text` would be rejected or mis-read by GitHub code scanning."""
    problems: list[str] = []
    if len(gzip.compress(text.encode("utf-8"))) > MAX_GZIP_BYTES:
        problems.append("file: over 10 MB gzip-compressed (SIZE)")
    sarif = json.loads(text)
    if sarif.get("version") != "2.1.0":  # DOCS: sarifLog.version, only 2.1.0
        problems.append("version: must be 2.1.0 (DOCS)")
    if not isinstance(sarif.get("$schema"), str):  # DOCS: sarifLog.$schema is required
        problems.append("$schema: missing (DOCS)")
    runs = sarif.get("runs")
    if not isinstance(runs, list):  # DOCS: runs[] is required
        return problems + ["runs: missing (DOCS)"]
    if len(runs) > MAX_RUNS:
        problems.append(f"runs: {len(runs)} runs, over {MAX_RUNS} (LIMITS)")
    for r, run in enumerate(runs):
        problems += _run_violations(run, f"runs[{r}]")
    return problems


def _run_violations(run: dict, where: str) -> list[str]:
    problems = []
    driver = run.get("tool", {}).get("driver", {})
    if not driver.get("name"):  # DOCS: tool.driver.name is required
        problems.append(f"{where}.tool.driver.name: missing (DOCS)")
    rules = driver.get("rules", [])
    if len(rules) > MAX_RULES:
        problems.append(f"{where}: {len(rules)} rules, over {MAX_RULES} (LIMITS)")
    for i, rule in enumerate(rules):
        if not rule.get("id"):  # DOCS: reportingDescriptor.id is required
            problems.append(f"{where}.tool.driver.rules[{i}].id: missing (DOCS)")
        if len(rule.get("properties", {}).get("tags", [])) > MAX_TAGS:
            problems.append(f"{where}.tool.driver.rules[{i}]: over {MAX_TAGS} tags (LIMITS)")
    results = run.get("results")
    if not isinstance(results, list):  # DOCS: run.results is required
        return problems + [f"{where}.results: missing (DOCS)"]
    if len(results) > MAX_RESULTS:
        problems.append(f"{where}: {len(results)} results, over {MAX_RESULTS} (LIMITS)")
    for i, result in enumerate(results):
        problems += _result_violations(result, rules, f"{where}.results[{i}]")
    return problems


def _result_violations(result: dict, rules: list, where: str) -> list[str]:
    problems = []
    if not result.get("ruleId"):  # DOCS: result.ruleId is required
        problems.append(f"{where}.ruleId: missing (DOCS)")
    index = result.get("ruleIndex")
    if index is not None and not (0 <= index < len(rules) and rules[index].get("id") == result.get("ruleId")):
        problems.append(f"{where}.ruleIndex: does not point at rule {result.get('ruleId')} (DOCS: result.ruleIndex)")
    if not result.get("message", {}).get("text"):  # DOCS: result.message.text is required
        problems.append(f"{where}.message.text: missing (DOCS)")
    if result.get("level", "warning") not in LEVELS:
        problems.append(f"{where}.level: {result.get('level')!r} (DOCS)")
    if not result.get("partialFingerprints"):
        problems.append(f"{where}.partialFingerprints: missing; alerts would repeat across runs (FINGERPRINTS)")
    locations = result.get("locations") or []
    if not locations:
        problems.append(f"{where}.locations: locationFromSarifResult: expected at least one location (INGEST)")
    if len(locations) > MAX_LOCATIONS:
        problems.append(f"{where}.locations: {len(locations)}, over {MAX_LOCATIONS} (LIMITS)")
    for i, location in enumerate(locations):
        problems += _location_violations(location, f"{where}.locations[{i}]")
    return problems


def _location_violations(location: dict, where: str) -> list[str]:
    problems = []
    physical = location.get("physicalLocation", {})
    uri = physical.get("artifactLocation", {}).get("uri")
    # INGEST and DOCS: physicalLocation.artifactLocation.uri is required, and not empty.
    if not isinstance(uri, str) or not uri:
        return [f"{where}: locationFromSarifResult: expected artifact location (INGEST)"]
    # FINGERPRINTS and DOCS ("a relative path from the root of the repository being
    # analyzed" is recommended): an absolute URI names no file of the repository.
    if urlsplit(uri).scheme or uri.startswith("/"):
        problems.append(f"{where}: uri {uri!r} is not relative to the repository (FINGERPRINTS, DOCS)")
    if uri.startswith("../") or "/../" in uri:
        problems.append(f"{where}: uri {uri!r} leaves the repository (FINGERPRINTS)")
    base = physical.get("artifactLocation", {}).get("uriBaseId")
    if base not in (None, "%SRCROOT%"):  # DOCS: %SRCROOT% is the base code scanning knows
        problems.append(f"{where}: uriBaseId {base!r} is not %SRCROOT% (DOCS)")
    region = physical.get("region")
    if not isinstance(region, dict) or not isinstance(region.get("startLine"), int) or region["startLine"] < 1:
        problems.append(f"{where}.region.startLine: required, at least 1 (DOCS)")  # and INGEST: GH1003
        return problems
    if region.get("startColumn", 1) < 1:  # DOCS: columns count from 1
        problems.append(f"{where}.region.startColumn: below 1 (DOCS)")
    if region.get("endLine", region["startLine"]) < region["startLine"]:
        problems.append(f"{where}.region.endLine: before startLine (DOCS)")
    return problems
