"""Which files a folder argument expands to."""

from communique.files import discover


def test_folders_are_walked_for_record_suffixes_only(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text("x: 1")
    (tmp_path / "sub" / "c.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.yaml").write_text("x: 1")
    found = discover([tmp_path])
    assert [f[len(str(tmp_path)) + 1:] for f in found.files] == ["a.yaml", "sub/b.yml", "sub/c.json"]
    assert found.missing == []


def test_explicit_files_are_kept_whatever_their_suffix_and_missing_ones_reported(tmp_path):
    (tmp_path / "record.txt").write_text("x: 1")
    found = discover([tmp_path / "record.txt", tmp_path / "record.txt", tmp_path / "nope.yaml"])
    assert found.files == [str(tmp_path / "record.txt")]
    assert found.missing == [str(tmp_path / "nope.yaml")]
