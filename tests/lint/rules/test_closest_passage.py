"""Q001's closest passage in a long source: the right passage, in bounded time."""

from __future__ import annotations

import json
import random
import shutil
import time

from ...conftest import FIXTURES

Q001 = FIXTURES / "rules" / "Q001-quote-not-in-source"
WORDS = ("talks dialogue ministers agreed convene round delegation security trade border water energy cooperation "
         "joint statement sides both next spring autumn capital meeting commission working group visa").split()


def long_source(folder, megabytes: float) -> list[str]:
    """Sentences of words at random (no passage repeats), written as the source `s1`."""
    rng = random.Random(18)
    sentences, size = [], 0
    while size < megabytes * 1_000_000:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + ".")
        size += len(sentences[-1]) + 1
    (folder / "s1.txt").write_text("\n".join(sentences), encoding="utf-8")
    return sentences


def test_missing_quotes_against_a_long_source_take_bounded_time_and_find_their_passage(run, tmp_path):
    """Five missing quotes against a 2 MB source took 20 s with a search that grows with the
    source's length times the quote's; each now costs a fraction of a second."""
    (tmp_path / "sources").mkdir()
    sentences = long_source(tmp_path / "sources", 2)
    quoted = [sentences[len(sentences) * k // 6] for k in range(1, 6)]
    evidence = "".join(f"      - source: s1\n        quote: \"{s.replace(' ', ' zanzibar ', 1)}\"\n" for s in quoted)
    record = tmp_path / "example-meeting.yaml"
    text = (Q001 / "fails.yaml").read_text(encoding="utf-8")
    record.write_text(text.replace("      - source: s1\n        quote: both sides agreed to hold the next round in Oslo\n",
                                   evidence), encoding="utf-8")
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    start = time.perf_counter()
    result = run("check", "--no-cache", "--format", "json", "--select", "Q001", "--sources", tmp_path / "sources",
                 record)
    elapsed = time.perf_counter() - start
    messages = [f["message"] for f in json.loads(result.output)["findings"]]
    assert len(messages) == 5
    for sentence, message in zip(quoted, messages):
        assert f"closest passage: \u201c{sentence}\u201d" in message and "the quote adds 'zanzibar'" in message
    assert elapsed < 6, f"five missing quotes took {elapsed:.1f} s"


def test_a_found_quote_stays_on_the_fast_path(run, tmp_path):
    (tmp_path / "sources").mkdir()
    sentences = long_source(tmp_path / "sources", 2)
    record = tmp_path / "example-meeting.yaml"
    record.write_text((Q001 / "fails.yaml").read_text(encoding="utf-8").replace(
        "both sides agreed to hold the next round in Oslo", sentences[-3]), encoding="utf-8")
    start = time.perf_counter()
    result = run("check", "--no-cache", "--select", "Q001", "--sources", tmp_path / "sources", record)
    assert result.exit_code == 0 and time.perf_counter() - start < 3
