"""Accuracy of find_references on the development sets in ../shared/refs (when present).

A case passes when the verses found and the verses expected are the same set. The sets
write a psalm's title as verse 1 ("Ps 3 title" is Ps.3.1), so they are read with
`title_as_verse_one`; Manna's default reads it as the title itself (verse 0), and the
figure with the default options is printed beside.
Usage: python bench/accuracy.py [--show N] [--file devset|bcv_eng_spec]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from manna.scripture import ParseOptions, find_references, parse_osis
from manna.scripture.errors import ScriptureError

# The sets' convention for psalm titles (see the docstring).
SETS_OPTIONS = ParseOptions(title_as_verse_one=True)

SETS = {
    "devset": ("devset.jsonl", 0.95),
    "bcv_eng_spec": ("bcv_eng_spec.jsonl", 0.98),
}


def refs_folder() -> Path | None:
    for base in (Path.cwd(), *Path.cwd().parents):
        candidate = base / "shared" / "refs"
        if candidate.is_dir():
            return candidate
    return None


def verses_of(osis: str) -> frozenset[int]:
    if not osis:
        return frozenset()
    return parse_osis(osis).verse_set()


def measure(path: Path, show: int, options: ParseOptions = SETS_OPTIONS) -> tuple[int, int]:
    passed = total = 0
    failures = []
    for line in path.read_text().splitlines():
        case = json.loads(line)
        total += 1
        found = find_references(case["text"], options=options)
        got = ",".join(m.osis() for m in found)
        try:
            ok = verses_of(got) == verses_of(case["expect"])
        except ScriptureError:
            ok = False
        if ok:
            passed += 1
        else:
            failures.append((case["text"], case["expect"], got))
    for text, expect, got in failures[:show]:
        print(f"  {text!r}\n      expect {expect!r}\n      got    {got!r}")
    return passed, total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="print the first N failures")
    parser.add_argument("--file", choices=sorted(SETS), action="append")
    args = parser.parse_args()
    folder = refs_folder()
    if folder is None:
        print("accuracy: ../shared/refs not found - skipped")
        return 0
    status = 0
    for name in args.file or sorted(SETS):
        filename, target = SETS[name]
        passed, total = measure(folder / filename, args.show)
        share = passed / total
        verdict = "ok" if share >= target else "BELOW TARGET"
        print(f"accuracy {name}: {passed}/{total} = {share:.1%} (target {target:.0%}) {verdict}")
        default, _ = measure(folder / filename, 0, ParseOptions())
        print(f"  with the default options (a title is verse 0): {default}/{total}")
        if share < target:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
