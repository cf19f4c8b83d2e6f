"""Users, passwords, API tokens and the change log, kept in the store.

Passwords are hashed with argon2 (argon2-cffi); an API token is shown once and
only its SHA-256 is kept.  A browser session is a row of ``web_session`` (the SHA-256
of the random key its cookie carries): logging out revokes it, a new password or a
disabled user revokes all of the user's, and every request checks it.  Every change is logged with who, when and what
(``log_change``), by the web application and by ``juesuan user`` alike.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from juesuan.store import Store, StoreError

__all__ = ["ROLES", "Principal", "add_user", "authenticate", "end_session", "log_change", "new_token",
           "principal_for_token", "session_user", "set_disabled", "start_session"]

ROLES = {"admin": "管理员", "filler": "填报人", "reviewer": "审核人", "reader": "查阅人"}


@dataclass(frozen=True)
class Principal:
    """Who is asking: the only thing every route's authorisation looks at."""

    id: int
    name: str
    role: str
    department: str | None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def may_see(self, department: str | None) -> bool:
        """A filler sees only their own department; everyone else sees every department."""
        if self.role == "filler":
            return department is not None and department == self.department
        return True

    def may_fill(self, department: str | None) -> bool:
        return self.role == "admin" or (self.role == "filler" and self.may_see(department))

    @property
    def may_review(self) -> bool:
        return self.role in ("admin", "reviewer")


def _hasher():  # noqa: ANN202 - argon2 PasswordHasher
    from argon2 import PasswordHasher

    return PasswordHasher()


def _principal(u) -> Principal:  # noqa: ANN001 - schema.User
    return Principal(u.id, u.name, u.role, u.department)


def log_change(s, who: str, action: str, target: str, detail: str = "") -> None:  # noqa: ANN001 - Session
    """One line of the change log, in the caller's transaction."""
    from juesuan.store.schema import ChangeLog

    s.add(ChangeLog(at=datetime.now(), who=who, action=action, target=target, detail=detail[:2000]))


def add_user(store: Store, name: str, role: str, password: str, department: str | None = None,
             by: str = "juesuan user") -> Principal:
    """Create a user (or set a new password, role and department for an existing one)."""
    from sqlalchemy import select

    from juesuan.store.schema import User

    name = name.strip()
    if not name or len(name) > 100:
        raise StoreError("用户名不能为空，且不超过 100 个字符")
    if role not in ROLES:
        raise StoreError(f"角色只能是 {'、'.join(ROLES)} 之一：{role}")
    if role == "filler" and not (department or "").strip():
        raise StoreError("填报人（filler）须用 --department 指定所在部门")
    if len(password) < 8:
        raise StoreError("密码至少 8 个字符")
    digest = _hasher().hash(password)
    with store.session.begin() as s:  # type: ignore[attr-defined]
        user = s.scalar(select(User).where(User.name == name))
        action = "修改用户" if user is not None else "新增用户"
        if user is None:
            user = User(name=name, created_at=datetime.now(), role=role, password_hash=digest)
            s.add(user)
        user.role, user.department, user.password_hash = role, (department or "").strip() or None, digest
        s.flush()
        if action == "修改用户":  # a new password (or role) ends every session of the old one
            _revoke_all(s, user.id)
        log_change(s, by, action, name, f"角色 {ROLES[role]}" + (f"，部门 {user.department}" if user.department else ""))
        return _principal(user)


def authenticate(store: Store, name: str, password: str) -> Principal | None:
    """The user when the password is theirs, else None (the same answer for an unknown name)."""
    from argon2.exceptions import InvalidHashError, VerificationError
    from sqlalchemy import select

    from juesuan.store.schema import User

    with store.session() as s:  # type: ignore[attr-defined]
        user = s.scalar(select(User).where(User.name == name.strip()))
        if user is None or user.disabled:
            _hasher().hash(password)  # about the same time as a wrong password
            return None
        try:
            _hasher().verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return _principal(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(store: Store, name: str, by: str = "juesuan user") -> str:
    """A new API token for the user ``name`` (returned once; only its hash is kept)."""
    from sqlalchemy import select

    from juesuan.store.schema import ApiToken, User

    token = "js_" + secrets.token_urlsafe(32)
    with store.session.begin() as s:  # type: ignore[attr-defined]
        user = s.scalar(select(User).where(User.name == name.strip()))
        if user is None:
            raise StoreError(f"没有这个用户：{name}（先用 juesuan user add 创建）")
        s.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), created_at=datetime.now()))
        log_change(s, by, "新建令牌", user.name)
    return token


def principal_for_token(store: Store, token: str) -> Principal | None:
    from sqlalchemy import select

    from juesuan.store.schema import ApiToken, User

    with store.session() as s:  # type: ignore[attr-defined]
        user = s.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id)
                        .where(ApiToken.token_hash == _token_hash(token.strip()), User.disabled.is_(False)))
        return None if user is None else _principal(user)


def start_session(store: Store, user_id: int) -> str:
    """A new session of the user: the random key for its cookie (only its hash is kept)."""
    from juesuan.store.schema import WebSession

    key = secrets.token_urlsafe(24)
    with store.session.begin() as s:  # type: ignore[attr-defined]
        s.add(WebSession(user_id=user_id, key_hash=_token_hash(key), created_at=datetime.now()))
    return key


def session_user(store: Store, user_id: int, key: str) -> Principal | None:
    """The user of a session when it is theirs, not revoked and the user not disabled; else None."""
    from sqlalchemy import select

    from juesuan.store.schema import User, WebSession

    with store.session() as s:  # type: ignore[attr-defined]
        user = s.scalar(select(User).join(WebSession, WebSession.user_id == User.id).where(
            WebSession.key_hash == _token_hash(key), WebSession.revoked_at.is_(None), User.id == user_id,
            User.disabled.is_(False)))
        return None if user is None else _principal(user)


def end_session(store: Store, key: str) -> None:
    """Revoke one session (logout): its cookie, even copied before, is refused from now on."""
    from sqlalchemy import update

    from juesuan.store.schema import WebSession

    with store.session.begin() as s:  # type: ignore[attr-defined]
        s.execute(update(WebSession).where(WebSession.key_hash == _token_hash(key), WebSession.revoked_at.is_(None))
                  .values(revoked_at=datetime.now()))


def _revoke_all(s, user_id: int) -> None:  # noqa: ANN001 - Session
    from sqlalchemy import update

    from juesuan.store.schema import WebSession

    s.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
              .values(revoked_at=datetime.now()))


def set_disabled(store: Store, name: str, disabled: bool, by: str = "juesuan user") -> Principal:
    """Disable a user (they cannot log in, their sessions and tokens stop working) or enable them again."""
    from sqlalchemy import select

    from juesuan.store.schema import User

    with store.session.begin() as s:  # type: ignore[attr-defined]
        user = s.scalar(select(User).where(User.name == name.strip()))
        if user is None:
            raise StoreError(f"没有这个用户：{name}")
        user.disabled = disabled
        if disabled:
            _revoke_all(s, user.id)
        log_change(s, by, "停用用户" if disabled else "启用用户", user.name)
        return _principal(user)


def secret_key(store: Store) -> str:
    """The key that signs session cookies: made once per store, kept in its settings."""
    from juesuan.store.schema import Setting

    with store.session.begin() as s:  # type: ignore[attr-defined]
        row = s.get(Setting, "session_secret")
        if row is None:
            row = Setting(key="session_secret", value=secrets.token_hex(32))
            s.add(row)
        return row.value
