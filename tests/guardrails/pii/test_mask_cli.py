"""``csbot mask`` end to end in a real subprocess: plain and JSON lines, bad lines, no values printed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CSBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def run_mask(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CSBOT, "mask", *args], input=stdin, capture_output=True, timeout=120, check=False)


def test_when_plain_lines_are_masked_then_placeholders_are_consistent_across_the_batch() -> None:
    result = run_mask("我叫张三，电话13812345678\n还是13812345678\n".encode())
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == ["我叫[姓名1]，电话[手机号1]", "还是[手机号1]"]


def test_when_json_lines_are_masked_then_entities_carry_offsets_into_the_input() -> None:
    line = json.dumps({"id": "a1", "text": "我的手机：１３８１２３４５６７８"}, ensure_ascii=False)
    result = run_mask((line + "\n").encode(), "--json", "--operator", "mask")
    assert result.returncode == 0, result.stderr.decode()
    row = json.loads(result.stdout)
    assert row == {
        "id": "a1",
        "masked": "我的手机：138****5678",
        "entities": [{"type": "phone", "start": 5, "end": 16, "score": 1.0}],
    }


def test_when_some_lines_are_bad_then_each_gets_an_error_and_the_rest_goes_through() -> None:
    good = json.dumps({"id": 1, "text": "身份证11010519491231002X"}).encode()
    huge = json.dumps({"id": 2, "text": "1" * 1_100_000}).encode()
    stdin = b"\n".join([good, b"", huge, b"\xff\xfe13812345678", b'{"id": 5, "text": 13812345678', good]) + b"\n"
    result = run_mask(stdin, "--json")
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 5"]
    assert "empty" in errors[0] and "limit" in errors[1] and "UTF-8" in errors[2] and "JSON" in errors[3]
    outputs = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [row["masked"] for row in outputs] == ["身份证[身份证号1]", "身份证[身份证号1]"]
    everything = result.stdout + result.stderr
    assert b"11010519491231002X" not in everything and b"13812345678" not in everything


@pytest.mark.parametrize("operator", ["scramble"])
def test_when_operator_is_unknown_then_exit_code_is_2_and_choices_are_listed(operator: str) -> None:
    result = run_mask(b"x\n", "--operator", operator)
    assert result.returncode == 2
    assert b"placeholder" in result.stderr
