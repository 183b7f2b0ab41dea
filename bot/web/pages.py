"""Server-rendered pages around the Gradio apps: home, staff login and logout (forms carry CSRF tokens)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot.web.auth import CSRF_COOKIE, SESSION_COOKIE, SESSION_MAX_AGE_S, StaffUser, role_names
from bot.web.context import Ctx, WebContext, api_error
from bot.web.lockout import lockout_for

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)

# Staff areas: mount path, permission, label on the home page.
STAFF_AREAS = (("/agent/", "copilot", "坐席助手"), ("/qa/", "qa", "质检台"), ("/records/", "records", "书面记录"))


def render(request: Request, ctx: WebContext, name: str, status: int = 200, **values: object) -> HTMLResponse:
    """A page with a fresh CSRF token (and its cookie) for whatever form it carries."""
    nonce = request.cookies.get(CSRF_COOKIE) or ctx.signer.new_csrf_nonce()
    user = ctx.staff_from_cookies(dict(request.cookies))
    context = {
        "title": values.pop("title", "云杉优选"),
        "user": user,
        "role_label": role_names().get(user.role, "") if user else "",
        "csrf_token": ctx.signer.csrf_token(nonce),
        **values,
    }
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", path="/")
    return response


def safe_next(target: str) -> str:
    """Only a local staff page may follow a login (no open redirect)."""
    return target if any(target.startswith(area) for area, _, _ in STAFF_AREAS) else "/"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Ctx) -> HTMLResponse:
    user = ctx.staff_from_cookies(dict(request.cookies))
    links = [{"href": a, "label": label} for a, perm, label in STAFF_AREAS if user and user.may(perm)]
    return render(request, ctx, "home.html", title="首页", links=links)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: Ctx, next: str = "/") -> HTMLResponse:
    return render(request, ctx, "login.html", title="员工登录", next=safe_next(next), error="", username="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=400)] = "",
    next: Annotated[str, Form(max_length=200)] = "/",
) -> Response:
    if not ctx.signer.csrf_ok(csrf_token, request.cookies.get(CSRF_COOKIE)):
        raise api_error(403, "csrf", "表单已过期，请刷新页面后重试 (missing or invalid CSRF token)")
    lockout = lockout_for(ctx.users.engine)
    wait = lockout.locked_for(username)
    if wait > 0:
        return render(
            request,
            ctx,
            "login.html",
            status=429,
            title="员工登录",
            next=safe_next(next),
            error=f"该账户因多次密码错误已暂时锁定，请 {int(wait) + 1} 秒后再试",
            username=username,
        )
    user = ctx.users.authenticate(username, password)
    if user is None:
        lockout.failed(username)
        return render(
            request,
            ctx,
            "login.html",
            status=401,
            title="员工登录",
            next=safe_next(next),
            error="用户名或密码错误",
            username=username,
        )
    lockout.succeeded(username)
    return _logged_in(ctx, user, safe_next(next), secure=request.url.scheme == "https")


def _logged_in(ctx: WebContext, user: StaffUser, target: str, secure: bool) -> Response:
    """Set the signed session cookie: not readable by scripts, not sent on cross-site POSTs."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        ctx.signer.session_cookie(user, ctx.staff_sessions.open(user.name)),
        max_age=SESSION_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        path="/",
        secure=secure,
    )
    return response


@router.post("/logout")
def logout(request: Request, ctx: Ctx, csrf_token: Annotated[str, Form(max_length=400)] = "") -> Response:
    if not ctx.signer.csrf_ok(csrf_token, request.cookies.get(CSRF_COOKIE)):
        raise api_error(403, "csrf", "表单已过期，请刷新页面后重试 (missing or invalid CSRF token)")
    ctx.staff_sessions.revoke(ctx.signer.session_id(request.cookies.get(SESSION_COOKIE)))  # a saved copy dies too
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/v1/csrf", include_in_schema=True, tags=["staff"])
def csrf(request: Request, ctx: Ctx) -> Response:
    """A CSRF token for staff API calls that change state (send it as ``X-CSRF-Token``)."""
    nonce = request.cookies.get(CSRF_COOKIE) or ctx.signer.new_csrf_nonce()
    response = Response(content=f'{{"csrf_token": "{ctx.signer.csrf_token(nonce)}"}}', media_type="application/json")
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", path="/")
    return response
