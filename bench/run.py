"""Benchmark `communique check` against check-jsonschema and a bare validation loop.

    pip install -e ".[bench]"
    python bench/run.py [--records 10000] [--repeat 3]

Generates a synthetic corpus against schema 1.0 (bench/make_corpus.py), with a share of its
records (--invalid, 2%) made to fail the schema, then times, side by side and in turns,
whole processes over the same files:

  communique check --no-cache --sources SRC DIR     schema + every rule, with positions
                                                    (as it runs by default, and in one process)
  check-jsonschema --schemafile SCHEMA FILES...     schema only
  bare loop: read + libyaml + jsonschema-rs         no positions, no rules, no reporting

and, cold, one record as pre-commit runs it (the shipped records as corpus context).
Prints medians, records per second, ratios, each command's CPU time (user and system, its
worker processes included) and peak memory (from the kernel's accounting of the finished
process), and whether both tools find the same records failing the schema. Runs import
from bytecode, as an installed tool does. It is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema" / "1.0" / "record.schema.json"
BIN = Path(sys.executable).parent

BARE_LOOP = r"""
import json, os, re, sys, yaml, jsonschema_rs
class Loader(yaml.CSafeLoader):  # libyaml's resolvers without timestamps, booleans as in YAML 1.2
    pass
Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] not in ("tag:yaml.org,2002:timestamp",
                                                                  "tag:yaml.org,2002:bool")]
                                  for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                             list("tTfF"))
validator = jsonschema_rs.validator_for(json.load(open(sys.argv[1])), validate_formats=True)
folder = sys.argv[2]
invalid = 0
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), "rb") as handle:
        invalid += not validator.is_valid(yaml.load(handle.read(), Loader=Loader))
sys.exit(1 if invalid else 0)
"""


def bench_env(**extra: str) -> dict:
    """The environment of a timed run: as a user's, whose installed tool imports from
    bytecode (a machine that sets PYTHONDONTWRITEBYTECODE compiles every module each run)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def timed(command: list[str], env: dict | None = None) -> tuple[float, float, int, float]:
    """Wall seconds, peak memory in MiB, exit code, and CPU seconds (user and system, its
    worker processes included) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env if env is not None else bench_env())
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def measure(commands: dict[str, list[str]], repeat: int) -> dict[str, dict]:
    """Run the commands in turns (A B C A B C ...) after one warm-up round."""
    results = {name: {"wall": [], "peak": [], "cpu": [], "exit": set()} for name in commands}
    for round_number in range(repeat + 1):
        for name, command in commands.items():
            wall, peak, code, cpu = timed(command)
            if round_number:  # the first round warms caches and is not counted
                results[name]["wall"].append(wall)
                results[name]["peak"].append(peak)
                results[name]["cpu"].append(cpu)
            results[name]["exit"].add(code)
    return results


def report(title: str, results: dict[str, dict], records: int, baseline: str) -> None:
    print(f"\n{title}")
    base = statistics.median(results[baseline]["wall"])
    for name, result in results.items():
        median = statistics.median(result["wall"])
        rate = f"{records / median:10.0f} records/s" if records > 1 else ""
        print(f"  {name:<22} median {median:8.3f} s  (min {min(result['wall']):.3f}, max {max(result['wall']):.3f})"
              f"  {rate}  CPU {statistics.median(result['cpu']):7.3f} s  peak {max(result['peak']):6.1f} MiB"
              f"  exit {sorted(result['exit'])}"
              f"  ratio to {baseline}: {median / base:.3f}")


def schema_of(record: Path) -> Path:
    """The schema of the version a record declares (the shipped records move with the schema)."""
    import yaml

    version = yaml.safe_load(record.read_text(encoding="utf-8"))["schema_version"]
    return ROOT / "schema" / version / "record.schema.json"


def schema_parity(corpus: Path, sources: Path, files: list[str]) -> None:
    """Whether communique and check-jsonschema find the same records failing the schema."""
    ours = subprocess.run([str(BIN / "communique"), "check", "--no-cache", "--format", "json", "--select", "S",
                           "--sources", str(sources), str(corpus)], capture_output=True, text=True, env=bench_env())
    peer = subprocess.run([str(BIN / "check-jsonschema"), "-o", "json", "--schemafile", str(SCHEMA), *files],
                          capture_output=True, text=True, env=bench_env())
    our_files = {os.path.abspath(f["path"]) for f in json.loads(ours.stdout)["findings"] if f["code"] != "S900"}
    peer_files = {os.path.abspath(error["filename"]) for error in json.loads(peer.stdout)["errors"]}
    print(f"\nSchema findings: {len(our_files)} records fail by communique, {len(peer_files)} by check-jsonschema; "
          f"{'the same records' if our_files == peer_files else 'DIFFERENT records'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-repeat", type=int, default=10)
    parser.add_argument("--invalid", type=float, default=0.02, help="share of records made to fail the schema")
    args = parser.parse_args()
    for tool in ("communique", "check-jsonschema"):
        if not (BIN / tool).exists():
            sys.exit(f"{tool} is not installed beside {sys.executable}: pip install -e '.[bench]'")
    workdir = Path(tempfile.mkdtemp(prefix="communique-bench-"))
    try:
        corpus, sources = workdir / "records", workdir / "sources"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(corpus), str(args.records),
                        str(sources)], check=True, stdout=subprocess.DEVNULL)
        files = sorted(str(p) for p in corpus.iterdir())
        broken = files[::round(1 / args.invalid)] if args.invalid else []
        for path in broken:  # a wrong type and a misspelt property: schema errors both tools must find
            text = Path(path).read_text(encoding="utf-8")
            Path(path).write_text(text.replace("\nkind: dialogue", "\nkind: 7", 1).replace("\ntitle:", "\ntitel:", 1),
                                  encoding="utf-8")
        size = sum(os.path.getsize(f) for f in files) / len(files)
        print(f"{args.records} synthetic records, {size / 1024:.1f} KB on average, {len(broken)} of them failing the "
              f"schema; {os.cpu_count()} CPUs; median of {args.repeat} runs after a warm-up")
        # Without the cache: every run here checks every record (bench/cache.py times the cache).
        check = [str(BIN / "communique"), "check", "--no-cache", "--sources", str(sources), str(corpus)]
        corpus_runs = measure({
            "communique check": check,
            "communique check -j1": check[:2] + ["--jobs", "1"] + check[2:],
            "check-jsonschema": [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *files],
            "bare loop": [sys.executable, "-c", BARE_LOOP, str(SCHEMA), str(corpus)],
        }, args.repeat)
        report("Whole corpus", corpus_runs, args.records, "check-jsonschema")
        record = ROOT / "records" / "pk-eu-strategic-dialogue-07.yaml"
        cold_runs = measure({
            "communique check": [str(BIN / "communique"), "check", "--no-cache", "--no-source", str(record)],
            "check-jsonschema": [str(BIN / "check-jsonschema"), "--schemafile", str(schema_of(record)), str(record)],
        }, args.cold_repeat)
        report("One record, cold (pre-commit)", cold_runs, 1, "check-jsonschema")
        schema_parity(corpus, sources, files)
        bare = {measure_: statistics.median(corpus_runs["bare loop"][measure_]) for measure_ in ("wall", "cpu")}
        for name in ("communique check", "communique check -j1"):
            print(f"{name} / bare loop: wall {statistics.median(corpus_runs[name]['wall']) / bare['wall']:.2f}, "
                  f"CPU {statistics.median(corpus_runs[name]['cpu']) / bare['cpu']:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
