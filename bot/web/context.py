"""What every route and page of one app process shares, and the FastAPI dependencies that read it.

One ``WebContext`` per app: the settings, the conversation engine, the user store and the
signers. Routes get it from ``request.app.state.ctx``; nothing is global.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request

from bot.settings import Settings
from bot.web.auth import CSRF_COOKIE, SESSION_COOKIE, Signer, StaffUser, UserStore
from bot.web.consent import ConsentBook
from bot.web.queue import QueueBook
from bot.web.staff_sessions import StaffSessions
from bot.web.tokens import CustomerTokens

if TYPE_CHECKING:
    from bot.service import CsBot

CSRF_HEADER = "x-csrf-token"


@dataclass
class WebContext:
    settings: Settings
    bot: CsBot
    users: UserStore
    signer: Signer
    tokens: CustomerTokens
    queue: QueueBook
    consents: ConsentBook
    staff_sessions: StaffSessions

    def staff_from_cookies(self, cookies: dict[str, str]) -> StaffUser | None:
        """The logged-in member of staff, if the signed cookie is valid and the user still exists."""
        cookie = cookies.get(SESSION_COOKIE)
        user = self.signer.read_session(cookie)
        if user is None or self.staff_sessions.user_of(self.signer.session_id(cookie)) != user.name:
            return None  # signed but logged out, expired or never opened on this server
        current = self.users.get(user.name)
        return current if current is not None and current.role == user.role else None


def get_ctx(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


Ctx = Annotated[WebContext, Depends(get_ctx)]


def api_error(status: int, code: str, message: str) -> HTTPException:
    """An HTTP error whose body is ``{"error": {"code", "message"}}`` (see the app's handlers)."""
    return HTTPException(status_code=status, detail={"code": code, "message": message})


def current_staff(request: Request, ctx: Ctx) -> StaffUser:
    user = ctx.staff_from_cookies(dict(request.cookies))
    if user is None:
        raise api_error(401, "login_required", "请先登录 (staff login required)")
    return user


def require(permission: str) -> Any:
    """A dependency: the logged-in staff user when their role holds ``permission`` (``any``: any role).

    Requests that change state must also carry the CSRF header matching the CSRF cookie.
    """

    def check(request: Request, user: Annotated[StaffUser, Depends(current_staff)]) -> StaffUser:
        if permission != "any" and not user.may(permission):
            raise api_error(403, "forbidden", f"当前角色无权访问 (role {user.role!r} lacks {permission!r})")
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            ctx: WebContext = request.app.state.ctx
            if not ctx.signer.csrf_ok(request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)):
                raise api_error(403, "csrf", "缺少或无效的 CSRF 令牌 (missing or invalid CSRF token)")
        return user

    return Depends(check)
