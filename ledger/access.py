"""Who may do what: users, roles, sign-in, and the acting user every service takes.

Roles are enforced here, below every user interface: a service that is handed an `Actor`
filters or refuses before anything reaches a page, a file or a log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Field, SQLModel

from . import models

# role code -> Danish name; each role can do what the roles before it can, and more
ROLES: dict[str, str] = {
    "reader": "læser",
    "negotiator": "forhandler",
    "finance": "økonomi",
    "admin": "administrator",
}
ROLE_ALIASES = {**{c: c for c in ROLES}, **{da: c for c, da in ROLES.items()}}
PERMISSIONS: dict[str, str] = {
    "read": "reader",  # public figures
    "see_confidential": "negotiator",  # confidential figures, scenarios and briefs
    "write": "finance",  # enter, import and correct
    "administer": "admin",  # users, keys and price levels
}
RANK = {code: rank for rank, code in enumerate(ROLES)}

FREE_ATTEMPTS = 3  # failed sign-ins before each further attempt must wait
MAX_WAIT = timedelta(minutes=15)

_hasher = PasswordHasher()


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    name: str = Field(primary_key=True)
    role: str
    password_hash: str = ""  # empty: signs in only through single sign-on
    disabled: bool = False
    created_at: datetime
    failed_attempts: int = 0
    blocked_until: datetime | None = None


class AppSession(SQLModel, table=True):
    """A sign-in to the app that outlasts a page load: the browser holds the token in a
    cookie, the ledger only its hash. Ends on sign-out, at `expires_at`, or when idle."""

    __tablename__ = "app_session"
    token_hash: str = Field(primary_key=True)
    user_name: str = Field(index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None


class UserToken(SQLModel, table=True):
    """A personal, revocable token for scripts (`tracker user token`): shown once, kept hashed."""

    __tablename__ = "user_token"
    id: int | None = Field(default=None, primary_key=True)
    user_name: str = Field(index=True)
    token_hash: str = Field(sa_column_kwargs={"unique": True})
    label: str = ""
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per name, known or not, so an unknown name is throttled like a known one."""

    __tablename__ = "sign_in_throttle"
    name: str = Field(primary_key=True)
    failed_attempts: int = 0
    blocked_until: datetime | None = None


@dataclass(frozen=True)
class Actor:
    """The acting user."""

    name: str
    role: str
    single_admin: bool = False  # no users exist yet: the local administrator of a fresh install

    def can(self, permission: str) -> bool:
        return RANK[self.role] >= RANK[PERMISSIONS[permission]]

    @property
    def may_see_confidential(self) -> bool:
        return self.can("see_confidential")


SINGLE_ADMIN = Actor(name="administrator", role="admin", single_admin=True)


class Forbidden(PermissionError):
    """The acting user may not do this; nothing was done."""


class SignInFailed(Exception):
    def __init__(self, message: str, wait: timedelta | None = None):
        self.wait = wait
        super().__init__(message)


def role_code(text: str) -> str:
    code = ROLE_ALIASES.get(text.strip().lower())
    if code is None:
        raise ValueError(f"unknown role '{text}': use {', '.join(f'{c} ({d})' for c, d in ROLES.items())}")
    return code


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def record(connection: sa.Connection, author: str, action: str, reason: str = "", detail: dict | None = None) -> None:
    """Access events (sign-ins, refusals, user changes) go to the journal too."""
    connection.execute(
        models.JournalEntry.__table__.insert().values(
            at=_now(), author=author, action=action, reason=reason, summary=json.dumps(detail or {})
        )
    )


def has_users(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(User.__table__)).scalar() > 0


def users(engine: sa.Engine) -> list[dict]:
    t = User.__table__
    with engine.connect() as connection:
        rows = connection.execute(sa.select(t.c.name, t.c.role, t.c.disabled, t.c.created_at).order_by(t.c.name))
        return [dict(r._mapping) for r in rows]


def require(actor: Actor, permission: str, what: str, engine: sa.Engine | None = None) -> None:
    """Refuse (and journal the refusal) unless the actor has the permission."""
    if actor.can(permission):
        return
    if engine is not None:
        with engine.begin() as connection:
            record(connection, actor.name, "refused", what, {"role": actor.role, "needs": PERMISSIONS[permission]})
    raise Forbidden(f"{actor.name} ({ROLES[actor.role]}) may not {what}")


def add_user(engine: sa.Engine, by: Actor, name: str, role: str, password: str | None) -> None:
    require(by, "administer", "add users", engine)
    role = role_code(role)
    name = name.strip()
    if not name:
        raise ValueError("a user needs a name")
    if password is not None and len(password) < 12:
        raise ValueError("a password needs at least 12 characters")
    with engine.begin() as connection:
        t = User.__table__
        if connection.execute(sa.select(t.c.name).where(t.c.name == name)).first():
            raise ValueError(f"user '{name}' exists already")
        connection.execute(t.insert().values(
            name=name, role=role, password_hash=_hasher.hash(password) if password else "",
            disabled=False, created_at=_now(), failed_attempts=0,
        ))
        record(connection, by.name, "user-add", f"{name} as {ROLES[role]}")


def set_role(engine: sa.Engine, by: Actor, name: str, role: str) -> None:
    require(by, "administer", "change roles", engine)
    role = role_code(role)
    with engine.begin() as connection:
        t = User.__table__
        if connection.execute(t.update().where(t.c.name == name).values(role=role)).rowcount != 1:
            raise ValueError(f"no user '{name}'")
        record(connection, by.name, "user-role", f"{name} is now {ROLES[role]}")


def disable(engine: sa.Engine, by: Actor, name: str) -> None:
    require(by, "administer", "disable users", engine)
    with engine.begin() as connection:
        t = User.__table__
        if connection.execute(t.update().where(t.c.name == name).values(disabled=True)).rowcount != 1:
            raise ValueError(f"no user '{name}'")
        record(connection, by.name, "user-disable", name)


def actor_named(engine: sa.Engine, name: str | None) -> Actor:
    """The actor for a command line or a single sign-on identity.

    With no users yet, everyone is the single local administrator. Once users exist a name
    is required, and it must be an enabled user."""
    if not has_users(engine):
        return SINGLE_ADMIN
    if not name:
        raise Forbidden("the ledger has users: say who you are (--user NAME or TRACKER_USER)")
    t = User.__table__
    with engine.connect() as connection:
        row = connection.execute(sa.select(t.c.role, t.c.disabled).where(t.c.name == name)).first()
    if row is None or row.disabled:
        raise Forbidden(f"no enabled user '{name}'")
    return Actor(name=name, role=row.role)


def sign_in(engine: sa.Engine, name: str, password: str, now: datetime | None = None) -> Actor:
    """Check a local password. After a few failures each attempt must wait longer (doubling,
    up to a quarter of an hour), whatever the password; every outcome is journalled."""
    now = _utc(now) or _now()
    t = User.__table__
    failure: SignInFailed | None = None
    with engine.begin() as connection:  # the failure is recorded, then raised
        row = connection.execute(sa.select(t).where(t.c.name == name)).first()
        blocked = _utc(row.blocked_until) if row is not None else None
        if row is None or row.disabled or not row.password_hash:
            _hasher.hash(password)  # an unknown name takes as long as a wrong password
            record(connection, name, "sign-in-refused", "unknown or disabled user")
            failure = SignInFailed("wrong name or password")
        elif blocked and now < blocked:
            record(connection, name, "sign-in-refused", "too many failed attempts")
            failure = SignInFailed("too many failed attempts; try again later", wait=blocked - now)
        elif not _verify(row.password_hash, password):
            failures = row.failed_attempts + 1
            wait = None
            if failures >= FREE_ATTEMPTS:
                wait = min(timedelta(seconds=2 ** (failures - FREE_ATTEMPTS + 1)), MAX_WAIT)
            connection.execute(t.update().where(t.c.name == name).values(
                failed_attempts=failures, blocked_until=(now + wait) if wait else None))
            record(connection, name, "sign-in-refused", "wrong password", {"failed_attempts": failures})
            failure = SignInFailed("wrong name or password", wait=wait)
        else:
            values = {"failed_attempts": 0, "blocked_until": None}
            if _hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = _hasher.hash(password)
            connection.execute(t.update().where(t.c.name == name).values(**values))
            record(connection, name, "sign-in")
    if failure is not None:
        raise failure
    return Actor(name=name, role=row.role)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in_external(engine: sa.Engine, name: str) -> Actor:
    """A user who signed in through OpenID Connect: known and enabled here, with their role.
    An identity that is not is refused (`Forbidden`); both go to the journal."""
    try:
        actor = actor_named(engine, name)
    except Forbidden:
        with engine.begin() as connection:
            record(connection, name, "sign-in-refused", "single sign-on: unknown or disabled user")
        raise
    with engine.begin() as connection:
        record(connection, name, "sign-in", "single sign-on")
    return actor
