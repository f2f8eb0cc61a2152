"""Meeting shapes that a schema version could not express, one example record each in
tests/fixtures/shapes/, encoded in the version that added the field made for the shape (1.1
for what 1.0 lacked, 1.2 for what 1.1 lacked, 1.3 for what 1.2 lacked) and with no `notes`.

Each fixture is valid under its version, checks clean, is in canonical form, and carries its
shape at the paths listed below; the same record declared the version before is invalid
under it, and only where the shape is (nothing incidental makes it fail).
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from communique import schema
from communique.documents.loading import Document, load_file
from communique.documents.pointer import MISSING, resolve
from communique.schema.validation import format_json_path, validate_document

from ..conftest import FIXTURES

SHAPES_DIR = FIXTURES / "shapes"

ANY = object()  # the path must exist; its value is not pinned

# For each fixture: the JSON paths that carry its shape, with the value expected there.
SHAPES: dict[str, dict[tuple, object]] = {
    # 1. An annual dialogue named by its year, no ordinal.
    "example-high-level-dialogue-2022.yaml": {
        ("series", "edition"): "2022",
        ("series", "periodicity"): "annual",
        ("next_round", "edition"): "2023",
    },
    # 2. Earlier meetings of the series listed by date and city, without ordinals.
    "example-joint-commission-04.yaml": {
        ("previous_rounds", 0, "when"): "2015-10",
        ("previous_rounds", 0, "venue", "city"): "Nairobi",
        ("previous_rounds", 0, "status"): "held",
        ("previous_rounds", 1, "when"): "2018",
        ("previous_rounds", 1, "venue", "city"): "Helsinki",
        ("previous_rounds", 1, "status"): "held",
        ("previous_rounds", 2, "when"): "2021-06",
        ("previous_rounds", 2, "venue", "city"): "Nairobi",
        ("previous_rounds", 2, "status"): "held",
    },
    # 3. A next round "at a mutually agreed date" in a given year...
    "example-political-consultations-05.yaml": {
        ("next_round", "status"): "tentative",
        ("next_round", "when"): "2026",
        ("next_round", "as_stated"): ANY,
    },
    # ... and one "before the end of next week".
    "example-fisheries-consultations-02.yaml": {
        ("next_round", "not_after"): "2025-11-23",
        ("next_round", "as_stated"): "before the end of next week",
    },
    # 4. Mediators' statement on talks between "both parties", who are not named.
    "example-mediated-talks-unnamed-parties.yaml": {
        ("parties", 0, "unnamed"): True,
        ("parties", 0, "as_stated"): "both parties",
        ("parties", 1, "unnamed"): True,
        ("parties", 1, "as_stated"): "both parties",
        ("agreements", 0, "parties"): ["unnamed-party-1", "unnamed-party-2"],
        ("agreements", 1, "parties"): ["unnamed-party-1", "unnamed-party-2"],
        ("parties", 2, "role"): "mediator",
        ("parties", 3, "role"): "mediator",
    },
    # 5. One state both hosting and mediating.
    "example-host-also-mediator.yaml": {
        ("parties", 2, "roles"): ["host", "mediator"],
    },
    # 6. A regional organisation, its member states and an outside power.
    "example-regional-summit-with-outside-power.yaml": {
        ("level",): "heads-of-state-or-government",
        ("parties", 1, "member_of"): ["bsco"],
        ("parties", 2, "member_of"): ["bsco"],
        ("parties", 3, "member_of"): ["bsco"],
        ("parties", 4, "member_of"): ["bsco"],
    },
    # 7. A host who invited the other side, delegations beyond the heads, a side meeting.
    "example-convened-meeting-delegations-side-event.yaml": {
        ("convened_by", "parties"): ["no"],
        ("delegations", 0, "members", 0, "person_id"): "per-hansen",
        ("delegations", 0, "members", 1, "person_id"): "ingrid-berg",
        ("delegations", 1, "size"): 7,
        ("delegations", 1, "as_stated"): "seven officials including the ambassador",
        ("side_events", 0, "others"): ["Example Hydrogen AS", "Example Offshore Wind ASA"],
    },
    # 8. Money in agreements, a third party's funds welcomed, an outside party not called on.
    "example-agreements-with-amounts-and-third-parties.yaml": {
        ("agreements", 0, "amounts", 0, "value"): 1000000000,
        ("agreements", 0, "amounts", 0, "currency"): "USD",
        ("agreements", 0, "amounts", 0, "by"): "jp",
        ("agreements", 1, "third_parties", 0, "id"): "adb",
        ("agreements", 1, "amounts", 0, "by"): "adb",
        ("agreements", 2, "kind"): "commitment",
        ("agreements", 2, "third_parties", 0, "id"): "kh",
    },
    # 9. Talks adjourned with a proposal on the table.
    "example-air-services-negotiations-02.yaml": {
        ("outcome", "result"): "adjourned",
        ("outcome", "pending", 0, "text"): ANY,
        ("outcome", "pending", 0, "by"): ["ca"],
        ("next_round", "status"): "tentative",  # to resume at a date to be agreed
    },
    # 10. The missing kinds and fields, as a meeting of heads of government has them...
    "example-intergovernmental-consultations-10.yaml": {
        ("level",): "heads-of-government",
        ("documents", 0, "kind"): "joint-declaration",
        ("documents", 1, "kind"): "joint-outcomes-statement",
        ("frameworks", 0, "kind"): "partnership",
        ("frameworks", 1, "kind"): "declaration",
        ("held_under",): ["strategic-partnership"],
        ("occasion", "anniversary"): 25,
        ("occasion", "of"): ANY,
        ("series", "aliases", 0, "name"): ANY,
        ("series", "aliases", 0, "first_round"): 1,
        ("series", "aliases", 0, "last_round"): 6,
    },
    # ... and a chair's statement.
    "example-ministerial-chairs-statement.yaml": {
        ("documents", 0, "kind"): "chairs-statement",
    },
    # 11. Caveat paths that name a list item by its id.
    "example-caveat-paths-by-item-id.yaml": {
        ("caveats", 0, "path"): "/agreements/forest-fund-welcome/parties",
        ("caveats", 1, "path"): "/documents/joint-press-release/issued/date",
    },
    # --- schema 1.2 ---
    # 12. Talks called off by one side the day after they were announced, and each side's
    # statement afterwards, which is not a document of the meeting.
    "example-foreign-ministers-talks-cancelled.yaml": {
        ("status",): "cancelled",
        ("status_change", "by"): ["ee"],
        ("status_change", "announced"): "2025-03-04",
        ("status_change", "reason"): ANY,
        ("status_change", "as_stated"): ANY,
        ("status_change", "sources"): ["example-source-2"],
        ("statements", 0, "party"): "ee",
        ("statements", 0, "kind"): "statement",
        ("statements", 1, "party"): "fi",
        ("statements", 1, "issued"): "2025-03-05",
    },
    # 13. A round postponed to a later month.
    "example-pt-ma-consultations-03.yaml": {
        ("status",): "postponed",
        ("status_change", "by"): ["pt", "ma"],
        ("status_change", "postponed_to"): "2025-12",
    },
    # 14. A ministerial held by officials.
    "example-ministerial-downgraded.yaml": {
        ("status",): "downgraded",
        ("status_change", "planned_level"): "ministerial",
        ("level",): "senior-officials",
    },
    # 15. No customary communique, a draft of 132 paragraphs, a member's press release.
    "example-ministers-meeting-without-communique.yaml": {
        ("documents", 0, "status"): "not-issued",
        ("documents", 1, "status"): "draft",
        ("documents", 1, "paragraph_count"): 132,
        ("statements", 0, "party"): "lt",
        ("statements", 0, "kind"): "press-release",
    },
    # 16. A chair's summary; paragraphs agreed by all members but two; a reservation.
    "example-finance-ministers-chairs-summary.yaml": {
        ("documents", 0, "kind"): "chairs-summary",
        ("agreements", 0, "parties"): ["eg5"],
        ("agreements", 0, "except", 0, "parties"): ["uy", "py"],
        ("agreements", 0, "document"): "chairs-summary",
        ("agreements", 0, "paragraphs"): ["3", "4"],
        ("agreements", 1, "dissent", 0, "parties"): ["py"],
        ("agreements", 1, "dissent", 0, "kind"): "reservation",
        ("agreements", 1, "document"): "chairs-summary",
        ("agreements", 1, "paragraphs"): ["6"],
    },
    # 17. An outcome list, a fact sheet, and a common position issued a week later.
    "example-summit-outcome-list-and-follow-up.yaml": {
        ("documents", 0, "kind"): "outcome-list",
        ("documents", 1, "kind"): "fact-sheet",
        ("documents", 2, "kind"): "other",
        ("documents", 2, "as_stated"): "common position",
        ("documents", 2, "follow_up"): True,
    },
    # 18. A state visit with a first stop in another city.
    "example-state-visit-two-cities.yaml": {
        ("venue", "city"): "Berlin",
        ("stops", 0, "city"): "Hamburg",
        ("stops", 0, "country"): "DE",
        ("stops", 0, "dates", "start"): "2025-06-02",
        ("stops", 0, "sources"): ["example-source-1"],
    },
    # 19. A meeting on the sidelines of the UN General Assembly.
    "example-meeting-on-margins-of-assembly.yaml": {
        ("on_margins_of", "name"): "80th session of the UN General Assembly",
        ("on_margins_of", "as_stated"): ANY,
    },
    # 20. A dialogue whose rounds carry neither a number nor a year.
    "example-dialogue-without-ordinal-or-label.yaml": {
        ("series", "id"): "example-es-tn-migration-dialogue",
        ("series", "name"): "Spain-Tunisia migration dialogue",
    },
    # 21. One agreement on two agenda items; one opening a dialogue with a dated first meeting.
    "example-agreement-on-two-items-opening-a-dialogue.yaml": {
        ("agreements", 0, "agenda_items"): ["myanmar", "south-china-sea"],
        ("agreements", 1, "schedules", 0, "what"): ANY,
        ("agreements", 1, "schedules", 0, "date"): "2026-03",
        ("agreements", 1, "schedules", 0, "venue", "city"): "Jakarta",
        ("agreements", 1, "creates_series"): "example-se-id-climate-dialogue",
    },
    # 22. An inviter who is a person, an abbreviation, an official known by post, a
    # framework launched at an earlier meeting.
    "example-invitation-by-a-king-officials-by-post.yaml": {
        ("convened_by", "persons", 0, "title"): "King of Saudi Arabia",
        ("parties", 0, "short_name"): "GCC",
        ("delegations", 0, "members", 0, "title"): "Ambassador of Belgium to Saudi Arabia",
        ("frameworks", 0, "launched_at"): "example-gcc-be-meeting-2023",
    },
    # 23. A meeting dated only "on or before" a statement's day, from a relayed report.
    "example-meeting-dated-on-or-before-relayed.yaml": {
        ("dates", "not_after"): "2025-01-16",
        ("sources", 0, "relays", 0, "outlet"): "Example News Agency",
    },
    # 24. Sources that name no head of any side, said once for the record.
    "example-talks-heads-not-named.yaml": {
        ("heads_named",): False,
        ("co_chairs",): [],
    },
    # --- schema 1.3 ---
    # 25. Parties, an outside party and a place with Wikidata items, for exports that link them.
    "example-talks-parties-with-wikidata-items.yaml": {
        ("venue", "wikidata"): "Q846",
        ("parties", 0, "wikidata"): "Q889",
        ("parties", 1, "wikidata"): "Q843",
        ("parties", 2, "wikidata"): "Q846",
        ("parties", 3, "wikidata"): "Q43",
        ("agreements", 0, "third_parties", 0, "wikidata"): "Q458",
    },
}

# Paths that must be absent: the shape is that the record does without them.
ABSENT: dict[str, list[tuple]] = {
    "example-high-level-dialogue-2022.yaml": [("series", "round"), ("next_round", "round")],
    "example-joint-commission-04.yaml": [("previous_rounds", i, "round") for i in range(3)],
    "example-fisheries-consultations-02.yaml": [("next_round", "when")],
    "example-mediated-talks-unnamed-parties.yaml": [("parties", i, key) for i in (0, 1) for key in ("name", "kind")],
    "example-host-also-mediator.yaml": [("parties", 2, "role")],
    "example-regional-summit-with-outside-power.yaml": [("parties", 5, "member_of")],  # the outside power
    "example-foreign-ministers-talks-cancelled.yaml": [("documents",)],  # the statements are not its documents
    "example-ministers-meeting-without-communique.yaml": [("documents", i, "issued") for i in (0, 1)],
    "example-dialogue-without-ordinal-or-label.yaml": [("series", "round"), ("series", "edition")],
    "example-invitation-by-a-king-officials-by-post.yaml": [("delegations", 0, "members", 0, key)
                                                            for key in ("person_id", "name")],
    "example-meeting-dated-on-or-before-relayed.yaml": [("dates", "start"), ("dates", "within")],
}

# Fixtures whose 1.0 form is schema-valid, with why 1.0 still could not express the shape.
# A caveat path is a string under both versions; 1.0 defines it as an RFC 6901 JSON Pointer,
# where a list is stepped into by position only, so an id step points at nothing.
NOT_A_SCHEMA_DIFFERENCE = {
    "example-caveat-paths-by-item-id.yaml": "1.0 caveat paths are RFC 6901 pointers: an id step names no item",
}

# Fixtures that check clean only with a rule change another branch of issue 19 brings:
# strict, so the marker must go when that change arrives (the test then passes).
NEEDS_RULES: dict[str, str] = {}  # C001 learnt heads_named: false (issue 19, the rules part)

FILES = sorted(path.name for path in SHAPES_DIR.glob("*.yaml"))


def load(name: str) -> Document:
    loaded = load_file(SHAPES_DIR / name)
    assert loaded.findings == [], [f"{f.line}:{f.column} {f.code.code} {f.message}" for f in loaded.findings]
    return loaded.document


def at(data, path: tuple):
    for step in path:
        if isinstance(data, dict) and isinstance(step, str) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return MISSING
    return data


def rfc6901(data, pointer: str):
    """Resolve as RFC 6901 (and schema 1.0) read a pointer: list steps are positions only."""
    for raw in pointer.split("/")[1:]:
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and re.fullmatch(r"0|[1-9][0-9]*", step) and int(step) < len(data):
            data = data[int(step)]
        else:
            return MISSING
    return data


def related(finding_path: str, shape_path: str) -> bool:
    """True when one JSON path is the other or lies inside it."""
    short, long = sorted((finding_path, shape_path), key=len)
    return long == short or (long.startswith(short) and long[len(short)] in ".[")


def test_every_fixture_has_its_shape_listed():
    assert FILES == sorted(SHAPES), "a fixture in tests/fixtures/shapes/ without its shape paths, or the reverse"
    assert set(ABSENT) <= set(SHAPES) and set(NOT_A_SCHEMA_DIFFERENCE) <= set(SHAPES)


def version_before(version: str) -> str:
    """The version a shape fixture's version added its fields to."""
    versions = schema.versions()
    return versions[versions.index(version) - 1]


def test_each_version_since_1_0_has_its_shapes():
    versions = {load(name).data["schema_version"] for name in FILES}
    assert versions == {"1.1", "1.2", "1.3"}


@pytest.mark.parametrize("name", FILES)
def test_valid_under_its_version(name):
    document = load(name)
    assert document.data["schema_version"] in ("1.1", "1.2", "1.3")
    found = validate_document(document)
    assert found == [], [f"{f.line}:{f.column} {f.code.code} {f.message}" for f in found]


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.xfail(reason=NEEDS_RULES[name], strict=True))
                                  if name in NEEDS_RULES else name for name in FILES])
def test_checks_clean_but_for_the_unchecked_quotes(run, name):
    result = run("check", "--no-source", "--format", "json", SHAPES_DIR / name)
    found = json.loads(result.output)["findings"]
    assert [(f["code"], f["line"], f["message"]) for f in found if f["code"] != "Q003"] == []
    assert [f["code"] for f in found] == ["Q003"]
    assert result.exit_code == 0


@pytest.mark.parametrize("name", FILES)
def test_in_canonical_form(run, name):
    result = run("fmt", "--check", SHAPES_DIR / name)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", FILES)
def test_no_notes_and_fictional_ids(name):
    data = load(name).data
    assert "notes" not in data
    assert data["id"] == name.removesuffix(".yaml") and data["id"].startswith("example-")
    assert all(re.fullmatch(r"example-source-\d+", source["id"]) for source in data["sources"])


@pytest.mark.parametrize("name", FILES)
def test_the_shape_is_where_it_is_said_to_be(name):
    data = load(name).data
    for path, expected in SHAPES[name].items():
        value = at(data, path)
        assert value is not MISSING, f"{format_json_path(path)} is missing"
        if expected is not ANY:
            assert value == expected, format_json_path(path)
    for path in ABSENT.get(name, []):
        assert at(data, path) is MISSING, f"{format_json_path(path)} should be absent"


@pytest.mark.parametrize("name", FILES)
def test_the_version_before_could_not_express_it(name):
    document = load(name)
    data = copy.deepcopy(document.data)
    before = version_before(data["schema_version"])
    data["schema_version"] = before
    found = validate_document(Document(document.path, "", data), version=before)
    if name in NOT_A_SCHEMA_DIFFERENCE:
        assert found == []  # the 1.0 schema takes the string; its meaning is what 1.0 lacked
        for path in SHAPES[name]:
            pointer = at(data, path)
            assert resolve(document.data, pointer) is not MISSING, pointer  # 1.1: the item with that id
            assert rfc6901(data, pointer) is MISSING, pointer  # 1.0: nothing
        return
    assert found, f"valid under {before}: {before} could express this shape, so it does not belong here"
    shape_paths = [format_json_path(path) for path in SHAPES[name]]
    incidental = [f"{f.json_path}: {f.code.code} {f.message}" for f in found
                  if not any(related(f.json_path, shape) for shape in shape_paths)]
    assert incidental == [], f"{before} rejects the record for something other than its shape"
