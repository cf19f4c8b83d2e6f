"""Who is asking and what they may do: sessions, CSRF tokens, the one guard, error pages.

A session is a signed cookie (itsdangerous; HttpOnly, SameSite=Strict) holding the
user's id and a random nonce; a logged-in nonce is a session kept in the store
(``users.start_session``) and checked on every request, so a logout, a new password
or a disabled user ends it on the server, whoever holds a copy of the cookie.  The
CSRF token of every form is an HMAC of that nonce, checked on every POST outside the API.  Scripts use ``Authorization:
Bearer <token>`` instead (no cookie, so no CSRF).  ``guard`` is the one place
where a route's roles and a department's ownership are checked, on the server,
for every page, download and API call, whatever id is put in the URL.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from juesuan.web.users import Principal

__all__ = ["Denied", "Visit", "allow", "guard", "install", "render"]

COOKIE = "juesuan_session"
MAX_AGE = 12 * 3600


class Denied(Exception):
    """A refused request: HTTP status and a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Visit:
    """One request's visitor: the user (None before login), the session nonce, the CSRF token."""

    user: Principal | None
    nonce: str
    csrf: str
    new_cookie: str | None = None  # set on the response when the session is new


def _serializer(secret: str):  # noqa: ANN202
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret, salt="juesuan-session")


def csrf_for(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def session_cookie(secret: str, user_id: int | None, nonce: str | None = None) -> tuple[str, str]:
    """The signed cookie of a session: ``nonce`` is a logged-in session's key (users.start_session);
    a visitor before login gets a fresh random one."""
    nonce = nonce or secrets.token_urlsafe(16)
    return _serializer(secret).dumps({"u": user_id, "n": nonce}), nonce


def visit(request) -> Visit:  # noqa: ANN001 - Request
    """The visitor of ``request`` (cached on it): by bearer token, else by session cookie."""
    from itsdangerous import BadSignature

    from juesuan.web.users import principal_for_token, session_user

    cached = getattr(request.state, "visit", None)
    if cached is not None:
        return cached
    app = request.app
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = principal_for_token(app.state.store, auth[7:])
        if user is None:
            raise Denied(401, "令牌无效：请用 juesuan user token 用户名 生成新令牌")
        v = Visit(user, "", "")
    else:
        data: dict[str, Any] | None = None
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = _serializer(app.state.secret).loads(raw, max_age=MAX_AGE)
            except BadSignature:
                data = None
        if data is None:
            cookie, nonce = session_cookie(app.state.secret, None)
            v = Visit(None, nonce, csrf_for(app.state.secret, nonce), cookie)
        elif data.get("u"):
            user = session_user(app.state.store, data["u"], str(data.get("n", "")))
            if user is None:  # logged out, revoked or disabled: a visitor again, with a fresh nonce
                cookie, nonce = session_cookie(app.state.secret, None)
                v = Visit(None, nonce, csrf_for(app.state.secret, nonce), cookie)
            else:
                v = Visit(user, data["n"], csrf_for(app.state.secret, data["n"]))
        else:
            v = Visit(None, data["n"], csrf_for(app.state.secret, data["n"]))
    request.state.visit = v
    return v


async def check_csrf(request: Request) -> None:
    """Every state-changing browser request carries the session's CSRF token (form or header)."""
    v = visit(request)
    if not v.nonce:  # a bearer token: no cookie was used, nothing to forge
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, v.csrf):
        raise Denied(403, "表单已过期或来源不明（CSRF 校验失败）：请刷新页面后重试")


def guard(request, roles: tuple[str, ...] | None = None, department: str | None = None,  # noqa: ANN001
          fill: bool = False) -> Principal:
    """The logged-in user, when their role is one of ``roles`` and they may see (``fill``: change)
    ``department``; else ``Denied`` (401 not logged in, 403 not allowed)."""
    user = visit(request).user
    if user is None:
        raise Denied(401, "请先登录")
    if roles is not None and user.role not in roles:
        raise Denied(403, f"{user.role_label}无权访问此页面")
    if department is not None:
        allowed = user.may_fill(department) if fill else user.may_see(department)
        if not allowed:
            raise Denied(403, f"无权查看或修改“{department}”的数据：填报人只能访问本部门")
    return user


def allow(roles: tuple[str, ...], fill: bool = False, bearer: bool = False):  # noqa: ANN201 - a dependency
    """``guard`` as a route dependency: it runs before the body is read and validated, so a
    refused request is refused (403) even when its upload is missing or malformed."""

    def dependency(request: Request) -> Principal:
        if bearer and not request.headers.get("authorization", "").lower().startswith("bearer "):
            raise Denied(401, "接口需要令牌：请求头 Authorization: Bearer <令牌>（juesuan user token 用户名 生成）")
        return guard(request, roles, request.path_params.get("name"), fill)

    return dependency


def render(request, template: str, context: dict[str, Any], status: int = 200):  # noqa: ANN001, ANN201
    """The page (or, with ``?format=json``, its context as JSON)."""
    from fastapi.encoders import jsonable_encoder
    from fastapi.responses import JSONResponse

    v = visit(request)
    if request.query_params.get("format") == "json":
        response = JSONResponse(jsonable_encoder(context, custom_encoder={
            __import__("decimal").Decimal: str}), status_code=status)
    else:
        ctx = {"request": request, "user": v.user, "csrf": v.csrf, **context}
        response = request.app.state.templates.TemplateResponse(request, template, ctx, status_code=status)
    _keep_cookie(response, v)
    return response


def _keep_cookie(response, v: Visit) -> None:  # noqa: ANN001
    if v.new_cookie:
        set_session(response, v.new_cookie)


def set_session(response, cookie: str) -> None:  # noqa: ANN001 - Response
    response.set_cookie(COOKIE, cookie, max_age=MAX_AGE, httponly=True, samesite="strict", path="/")


def _error_page(request, status: int, message: str):  # noqa: ANN001, ANN202
    from fastapi.responses import JSONResponse, RedirectResponse

    if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
        return JSONResponse({"error": message}, status_code=status)
    if status == 401 and request.method == "GET":
        return RedirectResponse("/login", status_code=303)
    try:
        return render(request, "error.html", {"status": status, "message": message}, status)
    except Denied as exc:  # a bad token on a page: the page still says it in Chinese
        return render_plain(exc.status, exc.message)


def render_plain(status: int, message: str):  # noqa: ANN201
    import html

    from fastapi.responses import HTMLResponse

    return HTMLResponse(f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>出错了</title>"
                        f"<p>{html.escape(message)}</p></html>", status_code=status)


_STATUS_TEXT = {400: "请求有误", 404: "页面不存在", 405: "不支持这种请求方式", 413: "上传的文件过大",
                422: "请求的参数不完整或格式不对"}


def install(app) -> None:  # noqa: ANN001 - FastAPI
    """Chinese error pages for every refusal and failure; never a traceback."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from juesuan.readers.errors import InputError
    from juesuan.store import StoreError
    from juesuan.web.uploads import Rejected

    @app.middleware("http")
    async def _too_large(request, call_next):  # noqa: ANN001, ANN202
        """A body announced larger than the upload limit is refused before it is read."""
        from juesuan.web.uploads import max_upload

        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > max_upload() + 1024 * 1024:
            return _error_page(request, 413, f"上传的内容过大：上限为 {max_upload() // 1024 // 1024} MB")
        return await call_next(request)

    @app.exception_handler(Denied)
    async def _denied(request, exc: Denied):  # noqa: ANN001, ANN202
        return _error_page(request, exc.status, exc.message)

    @app.exception_handler(HTTPException)
    async def _http(request, exc: HTTPException):  # noqa: ANN001, ANN202
        return _error_page(request, exc.status_code, _STATUS_TEXT.get(exc.status_code, "请求无法处理"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):  # noqa: ANN001, ANN202
        fields = "、".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors()[:5])
        return _error_page(request, 422, f"请求的参数不完整或格式不对：{fields}")

    @app.exception_handler(Rejected)
    async def _rejected(request, exc: Rejected):  # noqa: ANN001, ANN202
        return _error_page(request, 400, f"上传被拒绝：{exc}")

    @app.exception_handler(InputError)
    async def _input(request, exc: InputError):  # noqa: ANN001, ANN202
        return _error_page(request, 400, f"无法读取输入：{exc.describe()}")

    @app.exception_handler(StoreError)
    async def _store(request, exc: StoreError):  # noqa: ANN001, ANN202
        return _error_page(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def _crash(request, exc: Exception):  # noqa: ANN001, ANN202
        import logging

        logging.getLogger("juesuan.web").exception("internal error on %s", request.url.path)
        return render_plain(500, "程序内部错误：请求未完成。请把出错的时间和页面告诉管理员（详情记在服务器日志中）。")
