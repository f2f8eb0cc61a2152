"""`communique migrate`: records moved to a newer minor version by editing only what moves
(the version, the editor comment, positional caveat paths), checked before anything is
written, and left untouched, with M001 saying why, when they cannot be.

Fixtures in tests/fixtures/migrate/ are named for what they show; one that cannot be
migrated states its finding in a `# expect:` line.
"""

from __future__ import annotations

import json
import shutil

import pytest
from communique import schema
from communique.documents.loading import load_file, load_text
from communique.documents.pointer import MISSING, resolve
from communique.rewrite.migrating import (
    CannotMigrate,
    MigrateUsageError,
    comments,
    locate,
    migrate_document,
    migrate_paths,
    rewrite_pointer,
)
from communique.schema.validation import validate_document

from ..conftest import FIXTURES, RECORDS, expectations

MIGRATE = FIXTURES / "migrate"
MAIN = MIGRATE / "comments-flow-and-block.yaml"
UNMOVABLE = ["alias-shares-a-path.yaml", "invalid-under-1.0.yaml", "numeric-id-would-mislead.yaml",
             "unknown-version.yaml"]


def copy(path, folder, name=None):
    target = folder / (name or path.name)
    shutil.copyfile(path, target)
    return target


def caveat_targets(path, version_reads_ids: bool) -> list:
    """What each caveat path of a record names: (JSON path, value), read as its version reads it."""
    data = load_file(str(path)).document.data
    return [(locate(data, c["path"], by_id=version_reads_ids), resolve(data, c["path"], by_id=version_reads_ids))
            for c in data.get("caveats", [])]


# --- the main case: only the bytes that move change --------------------------------------------


def test_a_record_moves_to_1_1_with_only_the_migrated_bytes_changed(run, tmp_path):
    target = copy(MAIN, tmp_path)
    before = target.read_bytes()
    targets_before = caveat_targets(target, False)
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 0, result.output
    assert result.output == "1 file migrated to 1.1, 0 files already 1.1.\n"
    after = target.read_bytes()
    changed = [(old, new) for old, new in zip(before.decode().split("\n"), after.decode().split("\n")) if old != new]
    assert len(before.split(b"\n")) == len(after.split(b"\n"))
    assert changed == [
        ("# yaml-language-server: $schema=../../../schema/1.0/record.schema.json",
         "# yaml-language-server: $schema=../../../schema/1.1/record.schema.json"),
        ('schema_version: "1.0"  # the version: migrate moves it', 'schema_version: "1.1"  # the version: migrate moves it'),
        ("  - path: /agreements/0/parties   # plain, in block style",
         "  - path: /agreements/deepen-trade/parties   # plain, in block style"),
        ("  - {path: /parties/1, kind: inferred, note: From context.}  # plain, in a flow mapping",
         "  - {path: /parties/eu, kind: inferred, note: From context.}  # plain, in a flow mapping"),
        ("  - path: '/agenda/0/topic'", "  - path: '/agenda/trade/topic'"),
        ('  - path: "/agreements/0/evidence/0/quote"  # through an item with an id, then one without',
         '  - path: "/agreements/deepen-trade/evidence/0/quote"  # through an item with an id, then one without'),
    ]
    document = load_file(str(target)).document
    assert document.data["schema_version"] == "1.1"
    assert validate_document(document) == []
    assert caveat_targets(target, True) == targets_before
    assert all(value is not MISSING for _, value in targets_before)
    old_comments = comments(before.decode(), load_text(before.decode(), "x").document.root)
    assert comments(after.decode(), document.root) == [old_comments[0].replace("/1.0/", "/1.1/")] + old_comments[1:]
    assert "# this line is text, not a comment" not in old_comments  # inside a block scalar: text


def test_a_second_run_is_a_no_op(run, tmp_path):
    target = copy(MAIN, tmp_path)
    assert run("migrate", "--to", "1.1", target).exit_code == 0
    migrated = target.read_bytes()
    result = run("migrate", "--to", "1.1", target)
    assert result.exit_code == 0 and result.output == "0 files migrated to 1.1, 1 file already 1.1.\n"
    assert target.read_bytes() == migrated
    assert run("migrate", "--to", "1.1", "--check", target).exit_code == 0


def test_check_reports_and_writes_nothing(run, tmp_path):
    target = copy(MAIN, tmp_path)
    before = target.read_bytes()
    result = run("migrate", "--to", "1.1", "--check", "--no-source", target)
    assert result.exit_code == 1
    assert result.output == (f"{target}:4:17: M002 on schema 1.0; `communique migrate` would move it to 1.1, with 4 "
                             "caveat paths naming list items by id (at $.schema_version)\n"
                             "1 file would be migrated to 1.1, 0 files already 1.1.\n")
    assert target.read_bytes() == before


def test_diff_prints_a_unified_diff_and_writes_nothing(run, tmp_path):
    target = copy(MAIN, tmp_path)
    before = target.read_bytes()
    result = run("migrate", "--to", "1.1", "--diff", "--no-source", target)
    assert result.exit_code == 1 and target.read_bytes() == before
    lines = result.output.splitlines()
    assert lines[:34] == [
        f"--- {target}\t(original)",
        f"+++ {target}\t(migrated)",
        "@@ -1,7 +1,7 @@",
        "-# yaml-language-server: $schema=../../../schema/1.0/record.schema.json",
        "+# yaml-language-server: $schema=../../../schema/1.1/record.schema.json",
        " # A 1.0 record as people write them: comments everywhere, flow and block styles, quotes of",
        " # every kind, and caveats that name list items by position.",
        '-schema_version: "1.0"  # the version: migrate moves it',
        '+schema_version: "1.1"  # the version: migrate moves it',
        " id: example-migration-talks",
        " title: 'Example talks: round one'   # single quotes stay single quotes",
        " kind: talks",
        "@@ -29,16 +29,16 @@",
        "   - id: talks-source",
        "     kind: other",
        " caveats:",
        "-  - path: /agreements/0/parties   # plain, in block style",
        "+  - path: /agreements/deepen-trade/parties   # plain, in block style",
        "     kind: inferred",
        "     note: |",
        "       The parties are inferred.",
        "       # this line is text, not a comment",
        "-  - {path: /parties/1, kind: inferred, note: From context.}  # plain, in a flow mapping",
        "-  - path: '/agenda/0/topic'",
        "+  - {path: /parties/eu, kind: inferred, note: From context.}  # plain, in a flow mapping",
        "+  - path: '/agenda/trade/topic'",
        "     kind: inferred",
        "     note: Single-quoted path.",
        '-  - path: "/agreements/0/evidence/0/quote"  # through an item with an id, then one without',
        '+  - path: "/agreements/deepen-trade/evidence/0/quote"  # through an item with an id, then one without',
        "     kind: inferred",
        "     note: Double-quoted path.",
        "   - path: /title   # no list on the way: unchanged",
        f"{target}:4:17: M002 on schema 1.0; `communique migrate` would move it to 1.1, with 4 caveat paths "
        "naming list items by id (at $.schema_version)",
    ]
    assert lines[-1] == "1 file would be migrated to 1.1, 0 files already 1.1."
    # With a machine format on standard output, the diff goes to standard error.
    result = run("migrate", "--to", "1.1", "--diff", "--format", "json", target)
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["M002"] and "+++ " in result.stderr


def test_line_endings_and_a_byte_order_mark_are_kept(run, tmp_path):
    text = MAIN.read_text(encoding="utf-8").replace("\n", "\r\n")
    target = tmp_path / "crlf.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run("migrate", "--to", "1.1", target).exit_code == 0
    after = target.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# yaml-language-server: $schema=../../../schema/1.1/") and b"\n" not in \
        after.replace(b"\r\n", b"")
    assert after.decode("utf-8-sig") == text.replace('"1.0"', '"1.1"').replace("/1.0/", "/1.1/").replace(
        "/agreements/0/", "/agreements/deepen-trade/").replace("/parties/1,", "/parties/eu,").replace(
        "/agenda/0/", "/agenda/trade/")


def test_a_json_record_is_migrated_by_editing_its_text(run, tmp_path):
    target = copy(MIGRATE / "json-record.json", tmp_path)
    before = target.read_text()
    assert run("migrate", "--to", "1.1", target).exit_code == 0
    assert target.read_text() == before.replace('"1.0"', '"1.1"').replace("/parties/0/name", "/parties/pk/name")
    assert json.loads(target.read_text())["schema_version"] == "1.1"


# --- what cannot be migrated ---------------------------------------------------------------------


@pytest.mark.parametrize("name", UNMOVABLE)
def test_a_record_that_cannot_be_moved_is_left_untouched_with_m001(run, tmp_path, name):
    target = copy(MIGRATE / name, tmp_path)
    before = target.read_bytes()
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 1 and target.read_bytes() == before
    [(line, column, code, message)] = expectations(MIGRATE / name)
    assert f"{target}:{line}:{column}: {code} {message}" in result.output, result.output
    assert result.output.splitlines()[-1] == "0 files migrated to 1.1, 0 files already 1.1, 1 file not migrated " \
                                             "(see the findings)."


def test_a_kept_position_is_said_and_the_record_still_moves(run, tmp_path):
    target = copy(MIGRATE / "numeric-id-keeps-position.yaml", tmp_path)
    before = target.read_text()
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 0
    assert (f"{target}:14:12: M003 caveat path '/parties/1/name' keeps position 1: an item of /parties has an id that "
            "reads as a number ('7')") in result.output
    assert target.read_text() == before.replace('"1.0"', '"1.1"')
    assert caveat_targets(target, True) == [((("parties", 1, "name")), "Pakistan")]


def test_a_file_that_does_not_parse_is_reported_and_left(run, tmp_path):
    target = tmp_path / "broken.yaml"
    target.write_text('schema_version: "1.0"\ntitle: Talks: round 2\n')
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 1 and "Y001" in result.output
    assert target.read_text() == 'schema_version: "1.0"\ntitle: Talks: round 2\n'


def test_an_unknown_target_is_a_usage_error(run, tmp_path):
    target = copy(MAIN, tmp_path)
    result = run("migrate", "--to", "1.9", target)
    assert result.exit_code == 2 and "unknown schema version '1.9'" in result.output
    assert f"known: {', '.join(schema.versions())}" in result.output
    assert target.read_bytes() == MAIN.read_bytes()


def test_a_target_older_than_a_record_is_a_usage_error_and_nothing_is_written(run, tmp_path):
    older = copy(MAIN, tmp_path, "a-older.yaml")
    newer = copy(MAIN, tmp_path, "b-newer.yaml")
    assert run("migrate", newer).exit_code == 0
    migrated = newer.read_bytes()
    result = run("migrate", "--to", "1.0", tmp_path)
    assert result.exit_code == 2 and "--to 1.0 is older than" in result.output and "b-newer.yaml" in result.output
    assert older.read_bytes() == MAIN.read_bytes() and newer.read_bytes() == migrated
    result = run("migrate", "--to", "1.0", older)
    assert result.exit_code == 0 and result.output == "0 files migrated to 1.0, 1 file already 1.0.\n"


def test_to_defaults_to_the_latest_version(run, tmp_path):
    target = copy(MAIN, tmp_path)
    assert run("migrate", target).exit_code == 0
    assert load_file(str(target)).document.data["schema_version"] == schema.LATEST


def test_a_1_2_record_moves_to_1_3_by_its_version_alone(run, tmp_path):
    """1.3 only adds fields (Wikidata items), so moving a record there changes the two
    places that name the version, and not another byte."""
    target = copy(RECORDS / "pk-eu-political-dialogue-10.yaml", tmp_path)
    before = target.read_text(encoding="utf-8")
    assert 'schema_version: "1.2"' in before
    result = run("migrate", "--to", "1.3", "--no-source", target)
    assert result.exit_code == 0 and result.output == "1 file migrated to 1.3, 0 files already 1.3.\n"
    assert target.read_text(encoding="utf-8") == before.replace('schema_version: "1.2"', 'schema_version: "1.3"', 1) \
        .replace("/schema/1.2/record.schema.json", "/schema/1.3/record.schema.json", 1)


def test_standard_input_is_refused(run):
    result = run("migrate", "-", input=MAIN.read_text())
    assert result.exit_code == 2 and "standard input" in result.output


def test_a_save_while_migrate_writes_is_never_overwritten(run, tmp_path, monkeypatch):
    from communique.documents import writing

    target = copy(MAIN, tmp_path)
    real_fsync = writing.os.fsync
    saved = 'schema_version: "1.0"  # saved by an editor meanwhile\n'

    def fsync_then_editor_saves(descriptor):
        real_fsync(descriptor)
        if target.read_text(encoding="utf-8") != saved:  # the new content is written and synced: now the save
            target.write_text(saved, encoding="utf-8")

    monkeypatch.setattr(writing.os, "fsync", fsync_then_editor_saves)
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 1 and "M001 the file changed while it was migrated" in result.output
    assert target.read_text(encoding="utf-8") == saved
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_a_file_that_cannot_be_written_is_an_io_error(run, tmp_path, monkeypatch):
    import errno

    from communique.documents import writing

    def disk_full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    target = copy(MAIN, tmp_path)
    monkeypatch.setattr(writing.os, "replace", disk_full)
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 2 and "M004 cannot write: No space left on device" in result.output
    assert target.read_bytes() == MAIN.read_bytes()


def test_files_the_configuration_leaves_out_are_skipped(run, tmp_path, monkeypatch):
    (tmp_path / "communique.toml").write_text('records = "records"\nexclude = ["records/drafts/"]\n')
    (tmp_path / "records" / "drafts").mkdir(parents=True)
    kept = copy(MAIN, tmp_path / "records")
    draft = copy(MAIN, tmp_path / "records" / "drafts")
    monkeypatch.chdir(tmp_path)
    result = run("migrate", "--to", "1.1", "records", "records/drafts/comments-flow-and-block.yaml")
    assert result.exit_code == 0, result.output
    assert kept.read_bytes() != MAIN.read_bytes() and draft.read_bytes() == MAIN.read_bytes()
    assert result.output.startswith("1 file migrated to 1.1, 0 files already 1.1; ")


# --- the checks before writing -------------------------------------------------------------------


def test_a_lost_comment_stops_the_write(run, tmp_path, monkeypatch):
    from communique.rewrite import migrating

    target = copy(MAIN, tmp_path)
    real_apply = migrating.apply_edits
    monkeypatch.setattr(migrating, "apply_edits", lambda text, edits: real_apply(text, edits).replace("  # a flow mapping", ""))
    result = run("migrate", "--to", "1.1", "--no-source", target)
    assert result.exit_code == 1 and target.read_bytes() == MAIN.read_bytes()
    assert "M001 the migrated text would not keep the comment '# a flow mapping'" in result.output


def test_every_other_reader_must_read_the_migrated_text_alike(monkeypatch):
    import yaml
    from communique.rewrite.formatting import readers_agree

    def reader(text):  # reads the new caveat path as something else
        return {**yaml.safe_load(text), "extra": "/agreements/deepen-trade/parties" in text}

    monkeypatch.setattr(readers_agree, "READERS", [("a strict reader", reader)])
    with pytest.raises(CannotMigrate, match=r"a strict reader would read \$.extra of the migrated text otherwise"):
        migrate_document(load_file(str(MAIN)).document, "1.1")


def test_a_path_written_as_a_block_scalar_is_refused_where_it_stands():
    text = ('schema_version: "1.0"\nid: x\ntitle: X\nkind: meeting\nparties: [{id: pk, name: P, kind: state}]\n'
            "co_chairs: []\nagenda: []\nagreements: []\nsources: [{id: s, kind: other}]\n"
            "caveats:\n  - path: |-\n      /parties/0\n    kind: inferred\n    note: N.\n")
    document = load_text(text, "x.yaml").document
    with pytest.raises(CannotMigrate, match="is a block scalar") as raised:
        migrate_document(document, "1.1")
    assert (raised.value.line, raised.value.column) == (11, 11)


def test_an_anchored_path_shared_by_two_caveats_is_edited_once():
    text = ('schema_version: "1.0"\nid: x\ntitle: X\nkind: meeting\nparties: [{id: pk, name: P, kind: state}]\n'
            "co_chairs: []\nagenda: []\nagreements: []\nsources: [{id: s, kind: other}]\n"
            "caveats:\n  - {path: &p /parties/0, kind: inferred, note: N.}\n  - {path: *p, kind: disputed, "
            "note: M., claims: [{value: a, sources: [s]}, {value: b, sources: [s]}]}\n")
    migration = migrate_document(load_text(text, "x.yaml").document, "1.1")
    assert migration.text == text.replace('"1.0"', '"1.1"').replace("&p /parties/0", "&p /parties/pk")


def test_a_record_already_at_the_target_is_not_validated_or_touched():
    document = load_text('schema_version: "1.1"\ntitle: 2026\n', "x.yaml").document
    assert migrate_document(document, "1.1") is None


def test_a_record_newer_than_the_target_is_refused():
    document = load_text('schema_version: "1.1"\n', "x.yaml").document
    with pytest.raises(MigrateUsageError, match="forward only"):
        migrate_document(document, "1.0")
    with pytest.raises(MigrateUsageError, match="unknown schema version '2.0'"):
        migrate_paths([], "2.0")


# --- rewriting a pointer -------------------------------------------------------------------------


@pytest.mark.parametrize("pointer, expected", [
    ("/items/1/name", "/items/b~1c/name"),  # escaped per RFC 6901
    ("/items/2", "/items/t~0x"),
    ("/items/0/notes/0", "/items/a/notes/0"),  # a list of strings: no ids
    ("/plain/0", "/plain/0"),  # items without ids
    ("/items/9", "/items/9"),  # leads nowhere: left as written
    ("/items/a", "/items/a"),  # not a position under 1.0: leads nowhere there
    ("/key~1with~1slash/0", "/key~1with~1slash/x"),  # untouched steps keep their spelling
    ("", ""),
])
def test_positional_steps_become_ids(pointer, expected):
    data = {"items": [{"id": "a", "notes": ["n"]}, {"id": "b/c", "name": "B"}, {"id": "t~x"}],
            "plain": [{"name": "no id"}], "key/with/slash": [{"id": "x"}]}
    assert rewrite_pointer(data, pointer) == (expected, [])
    if expected != pointer:
        assert locate(data, expected, by_id=True) == locate(data, pointer, by_id=False)


def test_a_position_is_kept_where_an_id_reads_as_a_number_or_is_shared():
    numeric = {"items": [{"id": "12"}, {"id": "a"}]}
    assert rewrite_pointer(numeric, "/items/1")[0] == "/items/1"
    assert "reads as a number ('12')" in rewrite_pointer(numeric, "/items/1")[1][0][2]
    shared = {"items": [{"id": "a"}, {"id": "a"}]}
    new, [(position, identifier, why)] = rewrite_pointer(shared, "/items/1")
    assert (new, position, identifier) == ("/items/1", "1", "a") and "more than one item" in why


# --- every shipped record ------------------------------------------------------------------------


def test_every_shipped_record_migrates_validates_and_its_caveats_point_alike(run, tmp_path):
    originals = sorted(RECORDS.glob("*.yaml"))
    for record in originals:
        copy(record, tmp_path)
    result = run("migrate", "--no-source", tmp_path)
    assert result.exit_code == 0, result.output
    moved = len([p for p in originals if load_file(str(p)).document.data["schema_version"] != schema.LATEST])
    assert result.output.startswith(f"{moved} file{'' if moved == 1 else 's'} migrated to {schema.LATEST}")
    for record in originals:
        migrated = tmp_path / record.name
        document = load_file(str(migrated)).document
        assert document.data["schema_version"] == schema.LATEST
        assert validate_document(document) == [], record.name
        was_1_0 = load_file(str(record)).document.data["schema_version"] == "1.0"
        assert caveat_targets(migrated, True) == caveat_targets(record, not was_1_0), record.name
        old_document = load_file(str(record)).document
        old_comments = comments(old_document.text, old_document.root)
        new_comments = comments(document.text, document.root)
        assert len(old_comments) == len(new_comments) and old_comments[1:] == new_comments[1:]
