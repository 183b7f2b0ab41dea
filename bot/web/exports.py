"""Generated files for staff (QA reports, record exports): kept under CSBOT_HOME, handed out once, by login.

Gradio would copy a returned file into its own cache (``/tmp/gradio``) and serve it from any of the
mounted apps, the public widget included, to anyone with the path, and the copy outlives a crash.
Instead a file is written to ``CSBOT_HOME/exports`` (folder 0700, file 0600) under a random id,
with the permission needed to fetch it. ``GET /exports/{id}`` sends it only to a logged-in member of
staff whose role holds that permission, then deletes it; files not fetched within an hour are
deleted the next time one is written.

A customer's own record from the widget is bound to that session instead (permission
``session:<id>``) with a one-time key that only that session's page is given: it is sent to a
request carrying the key, or the session's own bearer token, never to another session's token.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from bot.web.context import Ctx, WebContext, api_error

MAX_AGE_S = 3600
SESSION = "session:"  # the permission prefix of a file bound to one customer session
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Export:
    path: Path
    filename: str
    permission: str
    media_type: str
    key: str | None = None


class ExportShelf:
    """Write, find and remove generated files under ``home/exports``."""

    def __init__(self, home: Path) -> None:
        self.root = home / "exports"

    def _ready(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        return self.root

    def put(self, content: str, filename: str, permission: str, media_type: str, key: str | None = None) -> str:
        root = self._ready()
        self.forget_older_than(MAX_AGE_S)
        export_id = secrets.token_urlsafe(24)
        fd = os.open(root / export_id, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        meta = {"filename": filename, "permission": permission, "media_type": media_type, "key": key}
        fd = os.open(root / f"{export_id}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(meta, handle, ensure_ascii=False)
        return export_id

    def get(self, export_id: str) -> Export | None:
        if not ID_PATTERN.match(export_id):
            return None
        path, meta_path = self.root / export_id, self.root / f"{export_id}.json"
        if not path.is_file() or not meta_path.is_file():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        key = meta.get("key")
        return Export(
            path, str(meta["filename"]), str(meta["permission"]), str(meta["media_type"]), str(key) if key else None
        )

    def remove(self, export_id: str) -> None:
        for path in (self.root / export_id, self.root / f"{export_id}.json"):
            path.unlink(missing_ok=True)

    def forget_older_than(self, seconds: float) -> None:
        if not self.root.is_dir():
            return
        cutoff = time.time() - seconds
        for path in self.root.iterdir():
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)


def download_link(export_id: str, label: str, key: str | None = None) -> str:
    """HTML for the page: a plain link to the authorised route (no Gradio file cache involved)."""
    query = f"?key={key}" if key else ""
    return f'<a href="/exports/{export_id}{query}" download class="csbot-download" id="download-link">{label}</a>'


def _check_session_export(found: Export | None, request: Request, ctx: WebContext) -> None:
    """A customer's file: the session's own bearer token, or the one-time key its page was given."""
    header = request.headers.get("authorization", "")
    key = request.query_params.get("key")
    if not header and not key:
        raise api_error(401, "key_required", "缺少下载凭证 (download key or session token required)")
    if found is None:
        raise api_error(404, "no_such_file", "文件不存在或已被下载 (no such file, or already fetched)")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or ctx.tokens.session_of(token) != found.permission.removeprefix(SESSION):
            raise api_error(403, "wrong_session", "令牌与会话不匹配 (token does not open this file)")
        return
    if not found.key or not hmac.compare_digest(found.key.encode(), str(key).encode()):
        raise api_error(403, "wrong_key", "下载凭证无效 (wrong download key)")


@router.get("/exports/{export_id}")
def fetch_export(export_id: str, request: Request, ctx: Ctx) -> FileResponse:
    shelf = ExportShelf(ctx.settings.home)
    found = shelf.get(export_id)
    customer = (
        found.permission.startswith(SESSION)
        if found
        else bool(request.headers.get("authorization") or request.query_params.get("key"))
    )
    if customer:
        _check_session_export(found, request, ctx)
        assert found is not None
        return FileResponse(
            found.path,
            media_type=found.media_type,
            filename=found.filename,
            background=BackgroundTask(shelf.remove, export_id),
        )
    staff = ctx.staff_from_cookies(dict(request.cookies))
    if staff is None:
        raise api_error(401, "login_required", "请先登录 (staff login required)")
    if found is None:
        raise api_error(404, "no_such_file", "文件不存在或已被下载 (no such file, or already fetched)")
    if not staff.may(found.permission):
        raise api_error(403, "forbidden", f"当前角色无权下载 (role {staff.role!r})")
    return FileResponse(
        found.path,
        media_type=found.media_type,
        filename=found.filename,
        background=BackgroundTask(shelf.remove, export_id),  # handed out once, then gone
    )
