"""The app factory: FastAPI (REST API, login pages) with the four Gradio apps mounted.

``/widget`` customer chat (public, embeddable) · ``/agent`` copilot (agents) · ``/qa`` QA console
(qa, admin) · ``/records`` written records (qa, admin). One ``CsBot`` per process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection

from bot.settings import Settings, load_settings
from bot.web import api, exports, pages, turns
from bot.web.auth import SESSION_MAX_AGE_S, Signer, UserStore
from bot.web.bodylimit import BodyLimit
from bot.web.consent import ConsentBook
from bot.web.context import WebContext
from bot.web.csp import ContentSecurityPolicy
from bot.web.filemodes import make_private
from bot.web.middleware import SecurityHeaders, StaffDoor
from bot.web.queue import QueueBook
from bot.web.ratelimit import RateLimitMiddleware, store_for
from bot.web.staff_sessions import StaffSessions
from bot.web.theme import CSS, THEME
from bot.web.tokens import CustomerTokens

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
STAFF_MOUNTS = {"/agent": "copilot", "/qa": "qa", "/records": "records"}

DESCRIPTION = """csbot 客服机器人 REST API.

Customers: `POST /api/v1/sessions` returns a session id and a bearer token; send messages with
`Authorization: Bearer <token>`. A token opens only its own session and that session's case record.
Staff endpoints use the login cookie from `/login`; state-changing calls need `X-CSRF-Token`
(from `GET /api/v1/csrf`). Errors are `{"error": {"code", "message"}}`.
"""


def create_app(settings: Settings | None = None, bot: object | None = None) -> FastAPI:
    """Build the whole web app; ``bot`` defaults to a fresh ``CsBot(settings)``."""
    settings = settings or load_settings()
    if bot is None:
        from bot.service import CsBot

        bot = CsBot(settings)
    tokens = CustomerTokens.for_settings(settings)
    ctx = WebContext(
        settings=settings,
        bot=bot,  # type: ignore[arg-type]
        users=UserStore.open(settings),
        signer=Signer.for_settings(settings),
        tokens=tokens,
        queue=QueueBook(bot, settings, on_close=tokens.revoke),
        consents=ConsentBook(settings, bot),
        staff_sessions=StaffSessions.for_settings(settings, SESSION_MAX_AGE_S),
    )
    make_private(settings.home)  # the databases and keys just opened or created: 0600
    # FastAPIOffline: /docs and /redoc load their scripts from this server, not from a CDN.
    app = FastAPIOffline(title="csbot", version=package_version("csbot"), description=DESCRIPTION)
    app.state.ctx = ctx
    _add_error_handlers(app)
    app.include_router(api.router)
    turns.install(app)  # a busy session answers 409 with Retry-After
    app.include_router(pages.router)
    app.include_router(exports.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route("/forbidden", _forbidden, include_in_schema=False, response_class=HTMLResponse)
    _mount_gradio(app, ctx)
    app.add_middleware(StaffDoor, areas=STAFF_MOUNTS, check=lambda conn, perm: _door(ctx, conn, perm))
    app.add_middleware(BodyLimit)
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        trusted_proxies=settings.trusted_proxies,
        store=store_for(settings.db_url),
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ContentSecurityPolicy, widget_origins=settings.widget_origins)
    return app


def _mount_gradio(app: FastAPI, ctx: WebContext) -> None:
    from bot.web import ui_agent, ui_customer, ui_qa, ui_records

    common: dict[str, Any] = {"theme": THEME, "css": CSS, "ssr_mode": False, "footer_links": [], "show_error": False}
    gr.mount_gradio_app(app, ui_customer.build(ctx), path="/widget", js=ui_customer.WIDGET_JS, **common)
    builders = {"/agent": ui_agent.build, "/qa": ui_qa.build, "/records": ui_records.build}
    for path, build in builders.items():
        gr.mount_gradio_app(app, build(ctx), path=path, auth_dependency=_gradio_gate(ctx, STAFF_MOUNTS[path]), **common)


def _gradio_gate(ctx: WebContext, permission: str) -> Callable[[Request], str | None]:
    """Gradio's per-request check: the user's name when their role holds ``permission``."""

    def gate(request: Request) -> str | None:
        user = ctx.staff_from_cookies(dict(request.cookies))
        return user.name if user is not None and user.may(permission) else None

    return gate


def _door(ctx: WebContext, conn: HTTPConnection, permission: str) -> str:
    user = ctx.staff_from_cookies(dict(conn.cookies))
    if user is None:
        return "login"
    return "ok" if user.may(permission) else "forbidden"


def _forbidden(request: Request) -> HTMLResponse:
    ctx: WebContext = request.app.state.ctx
    return pages.render(request, ctx, "forbidden.html", status=403, title="无权访问")


def _add_error_handlers(app: FastAPI) -> None:
    """Every error is ``{"error": {"code", "message"}}`` with a message a person can act on."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        detail: Any = error.detail
        if not isinstance(detail, dict):
            detail = {"code": f"http_{error.status_code}", "message": str(detail)}
        return JSONResponse({"error": detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        # Never echo the exception: its text may quote what the customer typed.
        logger.error("unhandled %s on %s %s", type(error).__name__, request.method, request.url.path)
        body = {"code": "internal", "message": "服务器内部错误，请稍后再试；您的会话没有丢失 (internal error)"}
        return JSONResponse({"error": body}, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            body = {"code": "malformed_json", "message": "请求体不是有效的 JSON (body is not valid JSON)"}
            return JSONResponse({"error": body}, status_code=400)
        first = problems[0] if problems else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        return JSONResponse({"error": {"code": "invalid_request", "message": f"{where}: {message}"}}, status_code=422)
