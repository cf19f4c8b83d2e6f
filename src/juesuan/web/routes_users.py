"""Logging in and out, the home page of each role, the users and the change log (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from juesuan.web.access import check_csrf, guard, render, session_cookie, set_session, visit

router = APIRouter()


@router.get("/")
def home(request: Request):  # noqa: ANN201
    user = guard(request)
    if user.role == "filler":
        return RedirectResponse(f"/dept/{_q(user.department or '')}", status_code=303)
    if user.role in ("admin", "reviewer"):
        return RedirectResponse("/review", status_code=303)
    return RedirectResponse("/browse", status_code=303)


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


@router.get("/login")
def login_page(request: Request):  # noqa: ANN201
    return render(request, "login.html", {"error": None})


@router.post("/login", dependencies=[Depends(check_csrf)])
async def login(request: Request):  # noqa: ANN201
    from juesuan.web.users import authenticate

    form = await request.form()
    name, password = str(form.get("name", ""))[:100], str(form.get("password", ""))[:1000]
    user = authenticate(request.app.state.store, name, password)
    if user is None:
        return render(request, "login.html", {"error": "用户名或密码不正确"}, status=401)
    from juesuan.web.users import start_session

    cookie, _ = session_cookie(request.app.state.secret, user.id, start_session(request.app.state.store, user.id))
    response = RedirectResponse("/", status_code=303)
    set_session(response, cookie)  # a new nonce at login: a session fixed before it is worth nothing
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request):  # noqa: ANN201
    from juesuan.web.users import end_session

    v = visit(request)
    if v.user is not None and v.nonce:
        end_session(request.app.state.store, v.nonce)  # the cookie, and every copy of it, is refused now
    cookie, _ = session_cookie(request.app.state.secret, None)
    response = RedirectResponse("/login", status_code=303)
    set_session(response, cookie)
    return response


@router.get("/admin/users")
def users_page(request: Request):  # noqa: ANN201
    from sqlalchemy import select

    from juesuan.store.schema import User
    from juesuan.web.users import ROLES

    guard(request, ("admin",))
    with request.app.state.store.session() as s:
        users = [{"name": u.name, "role": ROLES.get(u.role, u.role), "department": u.department or "",
                  "created_at": u.created_at} for u in s.scalars(select(User).order_by(User.name))]
    return render(request, "users.html", {"users": users, "roles": ROLES, "message": None})


@router.post("/admin/users", dependencies=[Depends(check_csrf)])
async def users_add(request: Request):  # noqa: ANN201
    from juesuan.web.users import add_user

    admin = guard(request, ("admin",))
    form = await request.form()
    add_user(request.app.state.store, str(form.get("name", "")), str(form.get("role", "")),
             str(form.get("password", "")), str(form.get("department", "")) or None, by=admin.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/log")
def change_log(request: Request):  # noqa: ANN201
    from sqlalchemy import select

    from juesuan.store.schema import ChangeLog

    guard(request, ("admin",))
    with request.app.state.store.session() as s:
        rows = [{"at": r.at, "who": r.who, "action": r.action, "target": r.target, "detail": r.detail}
                for r in s.scalars(select(ChangeLog).order_by(ChangeLog.id.desc()).limit(500))]
    return render(request, "log.html", {"rows": rows})
