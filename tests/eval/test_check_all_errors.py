"""``csbot eval check`` (issue 15): every error of every file, and references (procedure ids, laws,
articles, policy sections) checked against what exists, before anything runs."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import build_app

TWO_SHAPE_ERRORS = """\
id: two-shape-errors
description: two misspelt expectations in two turns
turns:
  - user: 耳机坏了
    expect: {stepp: accept}
  - user: 订单号 DD2026112012345
    expect:
      must_escalatee: true
"""
BAD_REFERENCES = """\
id: bad-references
description: names a procedure, a law, an article and a policy section that do not exist
settings: {procedure: return_7days}
turns:
  - user: 耳机不想要了
    expect:
      procedure: refund_magic
      must_cite: [{law: 消费者权益保护法, article: 999}]
expect:
  must_cite_any:
    - {law: 火星消费法, article: 1}
    - {doc: 退换货政策, section: "42"}
    - {law: 消费者权益保护法, article: 25}
"""


def check(*paths: Path) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(build_app(), ["eval", "check", *map(str, paths)])
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_check_lists_every_error_of_every_file(tmp_path: Path) -> None:
    shape, refs = tmp_path / "shape.yaml", tmp_path / "refs.yaml"
    shape.write_text(TWO_SHAPE_ERRORS, encoding="utf-8")
    refs.write_text(BAD_REFERENCES, encoding="utf-8")
    code, out, err = check(tmp_path)
    assert code == 1
    lines = err.strip().splitlines()
    assert any(line.startswith(f"{shape}:5: turns/0/expect: unknown expectation 'stepp'") for line in lines)
    assert any(line.startswith(f"{shape}:8: turns/1/expect: unknown expectation 'must_escalatee'") for line in lines)
    expected = [
        f"{refs}:3: settings/procedure: unknown procedure 'return_7days'",
        f"{refs}:7: turns/0/expect/procedure: unknown procedure 'refund_magic'",
        f"{refs}:8: turns/0/expect/must_cite/0: 中华人民共和国消费者权益保护法 has no article 999",
        f"{refs}:11: expect/must_cite_any/0: unknown law '火星消费法'",
        f"{refs}:12: expect/must_cite_any/1: policy 退换货政策 has no section 42",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert len([line for line in lines if line.startswith(str(refs))]) == 5  # article 25 exists: no error
    assert "0 dialogues ok, 7 errors in 2 files" in out


def test_a_good_file_beside_a_bad_one_is_still_counted(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "id: good\ndescription: d\nsettings: {procedure: return_7day}\nturns:\n  - user: 耳机不想要了\n"
        'expect:\n  must_cite_any: [{doc: 退换货政策, section: "2"}, {law: 消法, article: 25}]\n',
        encoding="utf-8",
    )
    code, out, err = check(good)
    assert code == 0, err
    assert "1 dialogues ok, 0 errors in 0 files" in out
