"""JUnit XML for CI systems: one ``testcase`` per dialogue, failures name file, line and expectation.

ElementTree escapes every text and attribute, so customer text or a hostile reply cannot break the
XML. A dialogue file that failed to load is reported as a test case with an ``error``.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from eval.results import DialogueResult, RunResult

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry control characters even escaped; a binary turn must not break the file."""
    return _NOT_XML.sub("\ufffd", text)


def _failure_text(result: DialogueResult) -> str:
    lines = []
    for outcome in result.failures:
        spec = outcome.spec
        lines.append(f"{result.dialogue.path}:{spec.line}: {spec.where}: {spec.name}: {outcome.message}")
    return _xml_safe("\n".join(lines))


def _testcase(suite: ET.Element, result: DialogueResult) -> None:
    seconds = sum(turn.latency_ms for turn in result.transcript.turns) / 1000
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"eval.{result.procedure}",
        name=result.dialogue.id,
        file=str(result.dialogue.path),
        line=str(result.dialogue.line),
        time=f"{seconds:.3f}",
    )
    if result.transcript.error is not None:
        error = ET.SubElement(case, "error", message="the engine failed", type="EngineError")
        error.text = _xml_safe(result.transcript.error)
    elif result.failures:
        names = ", ".join(dict.fromkeys(outcome.spec.name for outcome in result.failures))
        failure = ET.SubElement(case, "failure", message=f"expectations failed: {names}", type="ExpectationFailed")
        failure.text = _failure_text(result)


def to_junit(run: RunResult) -> str:
    """The whole run as one ``testsuites`` document."""
    failures = sum(1 for r in run.dialogues if r.transcript.error is None and not r.passed)
    errors = sum(1 for r in run.dialogues if r.transcript.error is not None) + len(run.load_errors)
    suites = ET.Element("testsuites", name="csbot-eval")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="csbot-eval",
        tests=str(len(run.dialogues) + len(run.load_errors)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
        timestamp=run.started_at,
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="drafter", value=run.drafter)
    for result in run.dialogues:
        _testcase(suite, result)
    for message in run.load_errors:
        case = ET.SubElement(suite, "testcase", classname="eval.load", name=message.split(":", 1)[0])
        error = ET.SubElement(case, "error", message="dialogue file could not be loaded", type="DialogueError")
        error.text = _xml_safe(message)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(run: RunResult, path: Path) -> None:
    path.write_text(to_junit(run), encoding="utf-8")
