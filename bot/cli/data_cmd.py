"""``csbot data validate [PATH…]``: check the hand-edited data files before they ship.

For compliance staff who edit slot rules, procedures, rails, templates and law tables: every
problem is printed as ``file:line: message`` (in Chinese); the exit code is 1 when there is any
problem, 0 when every file is fine. Without PATH every data file in the repository is checked,
plus the checks across files (a procedure naming a slot, element or template that does not exist).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def validate_paths(paths: list[Path], kind_name: str | None = None) -> tuple[list[str], int]:
    """The problems found and the number of files checked."""
    from bot.cli.datafiles import KINDS_BY_NAME, cross_file_problems, problems_of, shipped_files

    kind = KINDS_BY_NAME[kind_name] if kind_name else None
    files: list[Path] = []
    for path in paths or shipped_files():
        files += sorted(path.glob("**/*.y*ml")) if path.is_dir() else [path]
    problems = [problem for file in files for problem in problems_of(file, kind)]
    if not paths and not problems:
        problems += cross_file_problems()
    return problems, len(files)


def register(app: typer.Typer) -> None:
    data_app = typer.Typer(help="Data files (数据文件): check what compliance staff edit.", no_args_is_help=True)
    app.add_typer(data_app, name="data")

    @data_app.command("validate")
    def validate(
        paths: Annotated[
            list[Path] | None, typer.Argument(help="Files or folders to check (default: every data file).")
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option("--kind", help="The kind of a file outside its usual place (a copy): slots, procedures, …"),
        ] = None,
    ) -> None:
        """Check data files; print each problem as file:line: message; exit 1 on any problem."""
        from bot.cli.datafiles import KINDS_BY_NAME

        if kind is not None and kind not in KINDS_BY_NAME:
            typer.echo(f"不认识的种类 {kind!r}；可用：{', '.join(KINDS_BY_NAME)}", err=True)
            raise typer.Exit(2)
        problems, checked = validate_paths(list(paths or []), kind)
        for problem in problems:
            typer.echo(problem)
        if problems:
            typer.echo(f"发现 {len(problems)} 个问题（检查了 {checked} 个文件）。", err=True)
            raise typer.Exit(1)
        typer.echo(f"全部通过：检查了 {checked} 个数据文件。")
