"""What a dialogue names must exist: procedure ids (bot/procedures), cited laws and articles (the
statute store, the same one the citation rail checks replies against) and policy sections (the
policy pack). Found by ``csbot eval check``, not as a puzzling failure at run time."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eval.loader import DialogueError, Path_

CITING = ("must_cite", "must_cite_any")


@cache
def procedure_ids() -> frozenset[str]:
    from bot.procedures import load_procedures

    return frozenset(load_procedures())


def citation_problem(citation: dict[str, Any]) -> str | None:
    """Why a cited ``{law, article}`` or ``{doc, section}`` does not exist; None when it does."""
    if "law" in citation:
        from knowledge.statutes import StatuteStore

        store = StatuteStore.open_default()
        law, article = str(citation["law"]), int(citation["article"])
        full = store.resolve_law(law)
        if full is None:
            return f"unknown law {law!r} (not in the statute store)"
        if store.get(full, article) is None:
            return f"{full} has no article {article}"
        return None
    from eval.cited import section_matches

    library = _policies()
    doc, section = str(citation["doc"]), str(citation["section"])
    title = library.resolve_doc(doc)
    if title is None:
        return f"unknown policy document {doc!r} (known: {', '.join(d.title for d in library.docs())})"
    sections = [s.section for s in library.sections() if s.doc == title]
    if not any(section_matches(section, found) for found in sections):  # "2" is any of 2, 2.1, 2.2 …
        return f"policy {title} has no section {section}"
    return None


@cache
def _policies() -> Any:
    from knowledge.policies import PolicyLibrary

    return PolicyLibrary.load()


def check_references(data: dict[str, Any], lines: dict[Path_, int], file: Path) -> list[DialogueError]:
    """Every unknown procedure id and nonexistent law, article or policy section in a well-shaped dialogue."""
    from eval.loader import DialogueError, _line_for

    known = procedure_ids()
    errors: list[DialogueError] = []

    def procedure(value: Any, path: Path_) -> None:
        if isinstance(value, str) and value not in known:
            message = f"{'/'.join(map(str, path))}: unknown procedure {value!r} (known: {', '.join(sorted(known))})"
            errors.append(DialogueError(file, _line_for(path, lines), message))

    procedure((data.get("settings") or {}).get("procedure"), ("settings", "procedure"))
    blocks: list[tuple[Path_, dict[str, Any]]] = [(("expect",), data.get("expect") or {})]
    blocks += [(("turns", i, "expect"), turn.get("expect") or {}) for i, turn in enumerate(data["turns"])]
    for base, expect in blocks:
        procedure(expect.get("procedure"), (*base, "procedure"))
        for name in CITING:
            for index, citation in enumerate(expect.get(name) or ()):
                problem = citation_problem(citation)
                if problem:
                    path = (*base, name, index)
                    errors.append(DialogueError(file, _line_for(path, lines), f"{'/'.join(map(str, path))}: {problem}"))
    return sorted(errors, key=lambda error: error.line)
