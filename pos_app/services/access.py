"""Who acts: the session a login hands out, the approval a manager signs, and the one check.

A ``UserInfo`` proves nothing: anyone can build one. What proves who acts is the signed token
inside a ``UserSession`` (issued by ``auth.login``), checked by ``authorize`` in the same
transaction as the work against the token row and the user's current role and active flag.
"""

from __future__ import annotations

import functools
import hashlib
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import Any, TypeGuard, TypeVar

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from pos_app.db.models import Token, User
from pos_app.domain.checks import is_text
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError, PermissionDeniedError, SessionEndedError
from pos_app.services.roles import Role, UserInfo

JWT_ALGORITHM = "HS256"
MAX_TOKEN = 4096  # a signed session token is a few hundred characters
SESSION_ENDED = "Your session has ended; please log in again."
LOGGED_OUT = "This session was logged out; please log in again."
DEACTIVATED = "This account has been deactivated."
APPROVAL_ENDED = "The approval has expired or is not valid; ask the manager to approve again."
APPROVAL_PURPOSE = "approval"
REFUND_APPROVAL = "approve refunds"
PRICE_APPROVAL = "approve changed prices"
STOCK_COUNT_APPROVAL = "approve a stock count"

# Plain columns rather than ORM objects: every service call runs this, the sale included.
_SESSION_ROW = (
    select(
        Token.revoked,
        Token.expires_at,
        User.id,
        User.email,
        User.first_name,
        User.last_name,
        User.role,
        User.is_active,
        User.timezone,
        User.last_login,
        User.created_at,
    )
    .join(User, User.id == Token.user_id)
    .where(Token.token_hash == bindparam("token_hash"))
)

T = TypeVar("T")

_ACTION_NAMES = {
    Role.CASHIER: "cashiers",
    Role.MANAGER: "managers and owners",
    Role.OWNER: "owners",
}


@dataclass(frozen=True)
class UserSession:
    """Proof of a login: the signed token. ``user`` is the account as it was then, for display."""

    token: str
    user: UserInfo

    def __repr__(self) -> str:
        return f"UserSession(user={self.user.email!r}, role={self.user.role.value!r})"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def first_name(self) -> str:
        return self.user.first_name

    @property
    def last_name(self) -> str:
        return self.user.last_name

    @property
    def full_name(self) -> str:
        return self.user.full_name

    @property
    def timezone(self) -> str | None:
        return self.user.timezone


@dataclass(frozen=True)
class SessionClaim:
    """A session whose signature and expiry are checked: what is left to look up, and as of when.

    ``user`` is the account the session names (for display only until the database agrees).
    """

    user: UserInfo
    token_hash: str
    claims: dict[str, object]
    now: datetime


@dataclass(frozen=True)
class ApprovalToken:
    """A manager's signed consent to one action by one actor, valid for a couple of minutes."""

    token: str
    approver: UserInfo
    action: str
    expires_at: datetime | None = None

    def __repr__(self) -> str:
        return f"ApprovalToken(approver={self.approver.email!r}, action={self.action!r})"

    @property
    def id(self) -> int:
        return self.approver.id

    @property
    def full_name(self) -> str:
        return self.approver.full_name

    @property
    def role(self) -> Role:
        return self.approver.role


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        role=Role(user.role),
        is_active=user.is_active,
        timezone=user.timezone,
        last_login=user.last_login,
        created_at=user.created_at,
    )


def is_token(token: object) -> TypeGuard[str]:
    """Text that could be a token this shop signed: short, non-empty and storable."""
    return is_text(token) and 0 < len(token) <= MAX_TOKEN


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def pyjwt() -> ModuleType:
    """PyJWT, imported when the first session is signed or checked.

    Sessions are signed with HS256, the standard library's HMAC. PyJWT also loads
    ``cryptography`` for RSA and EC keys when it is installed, which costs a command-line
    report about a quarter of its start-up; a process with one thread (a command) imports PyJWT
    without it, as if it were not installed. Only PyJWT's import is affected: whatever imports
    ``cryptography`` later (the MySQL driver's password exchange) gets it as usual.
    """
    if "jwt" in sys.modules or "cryptography" in sys.modules or threading.active_count() > 1:
        import jwt

        return jwt
    sys.modules["cryptography"] = None  # type: ignore[assignment]
    try:
        import jwt
    finally:
        del sys.modules["cryptography"]
    return jwt


def decode_token(
    ctx: ServiceContext, token: object, now: datetime, *, message: str = SESSION_ENDED
) -> dict[str, object]:
    """The claims of a token this shop signed and that has not expired on the service clock."""
    if not is_token(token):
        raise SessionEndedError(message)
    claims = _signed_claims(ctx.jwt_secret, token)
    if claims is None:
        raise SessionEndedError(message)
    claims = dict(claims)
    # Expiry is checked against the service clock, not the wall clock, so tests can move time.
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now.timestamp():
        raise SessionEndedError(message)
    return claims


@functools.lru_cache(maxsize=256)
def _signed_claims(secret: str, token: str) -> dict[str, object] | None:
    """The claims of ``token`` if its signature is ``secret``'s, else None.

    Every service call checks its session, so the signature check of a token seen before is
    remembered: it can only give the same answer. Expiry, revocation, role and active flag are
    still checked on every call.
    """
    jwt = pyjwt()
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            options={"verify_exp": False, "require": ["sub", "exp", "iat"]},
        )
    except jwt.PyJWTError:
        return None
    return claims


def authorize(
    session: Session, ctx: ServiceContext, actor: object, needed: Role, action: str
) -> UserInfo:
    """The acting user as the database has them now, if ``actor`` is a live session allowed
    ``action`` (a phrase such as 'restock products'). Call it first in the unit of work."""
    user = session_user(session, ctx, actor)
    check_role(user, needed, action)
    return user


def authorize_reading(
    session: Session | Connection,
    ctx: ServiceContext,
    actor: object,
    needed: Role,
    action: str,
    read: Callable[[SessionClaim], tuple[Sequence[Any] | None, T]],
) -> tuple[UserInfo, T]:
    """``authorize`` for a service whose first read also fetches the session's token row and
    account: ``read`` gets the checked claim and returns that row (the columns of
    ``SESSION_COLUMNS``, None when not found) beside what else it read. Nothing it read may be
    acted on, or leave the service, before this returns."""
    claim = _session_claim(ctx, actor)
    row, found = read(claim)
    user = _live_user(claim, row)
    check_role(user, needed, action)
    return user, found


def session_user(session: Session, ctx: ServiceContext, actor: object) -> UserInfo:
    """The current account behind a session: one query over its token row and its user."""
    claim = _session_claim(ctx, actor)
    row = session.execute(_SESSION_ROW, {"token_hash": claim.token_hash}).first()
    return _live_user(claim, row)


def _session_claim(ctx: ServiceContext, actor: object) -> SessionClaim:
    if not isinstance(actor, UserSession) or not isinstance(actor.user, UserInfo):
        raise AuthenticationError(SESSION_ENDED)
    now = ctx.now()
    claims = _session_claims(ctx, actor.token, now)
    return SessionClaim(actor.user, hash_token(actor.token), claims, now)


def _live_user(claim: SessionClaim, row: Sequence[Any] | None) -> UserInfo:
    """The session's account, if the token row is the account's the session names and live."""
    if row is not None and row[2] != claim.user.id:  # the token row's account
        raise SessionEndedError(SESSION_ENDED)
    return _token_account(claim.claims, claim.now, row)


def token_user(session: Session, ctx: ServiceContext, token: str) -> UserInfo:
    """The account a session token belongs to, if the token is still live and still true."""
    now = ctx.now()
    claims = _session_claims(ctx, token, now)
    row = session.execute(_SESSION_ROW, {"token_hash": hash_token(token)}).first()
    return _token_account(claims, now, row)


def _session_claims(ctx: ServiceContext, token: object, now: datetime) -> dict[str, object]:
    claims = decode_token(ctx, token, now)
    if claims.get("purpose", "session") != "session":
        raise SessionEndedError(SESSION_ENDED)
    return claims


def _token_account(claims: dict[str, object], now: datetime, row: Sequence[Any] | None) -> UserInfo:
    """The token row's account, if the row exists and the token is still live and still true."""
    if row is None:
        raise SessionEndedError(SESSION_ENDED)
    revoked, expires_at, user_id, email, first, last, role, active, zone, last_login, created = row
    user = UserInfo(
        id=user_id,
        email=email,
        first_name=first,
        last_name=last,
        role=Role(role),
        is_active=bool(active),
        timezone=zone,
        last_login=last_login,
        created_at=created,
    )
    if str(user.id) != claims.get("sub") or expires_at <= now:
        raise SessionEndedError(SESSION_ENDED)
    if not user.is_active:
        raise SessionEndedError(DEACTIVATED)
    if revoked:
        raise SessionEndedError(LOGGED_OUT)
    if user.role.value != claims.get("role"):
        raise SessionEndedError(f"Your role was changed to {user.role}; please log in again.")
    return user


def check_role(user: UserInfo, needed: Role, action: str) -> None:
    if not user.role.allows(needed):
        raise PermissionDeniedError(f"Only {_ACTION_NAMES[needed]} can {action}.")


def approval_claims(ctx: ServiceContext, approval: object, acting: UserInfo, action: str) -> int:
    """The approver's id in an approval signed for ``acting`` and ``action``.

    The approver's current role and active flag still have to be read in the caller's
    transaction: the token only proves who typed their password, and when.
    """
    if not isinstance(approval, ApprovalToken):
        raise PermissionDeniedError(APPROVAL_ENDED)
    try:
        claims = decode_token(ctx, approval.token, ctx.now(), message=APPROVAL_ENDED)
    except AuthenticationError:
        raise PermissionDeniedError(APPROVAL_ENDED) from None
    sub = claims.get("sub")
    if (
        claims.get("purpose") != APPROVAL_PURPOSE
        or claims.get("action") != action
        or claims.get("for") != acting.id
        or not isinstance(sub, str)
        or not sub.isdigit()
    ):
        raise PermissionDeniedError(APPROVAL_ENDED)
    return int(sub)


def approval_subject(
    ctx: ServiceContext, approval: object, acting: UserInfo, action: str
) -> int | None:
    """``approval_claims`` or None when absent or not valid, for reading ahead in one query."""
    if approval is None:
        return None
    try:
        return approval_claims(ctx, approval, acting, action)
    except PermissionDeniedError:
        return None


def check_approver(user: User | None, acting: UserInfo, what: str) -> UserInfo:
    """The approver as stored now: active, a manager or owner, and not the acting cashier."""
    if user is None or not user.is_active:
        raise PermissionDeniedError(f"The approving account has been deactivated; {what}.")
    if user.id == acting.id and not acting.role.allows(Role.MANAGER):
        raise PermissionDeniedError("You cannot approve your own request; ask a manager.")
    if not Role(user.role).allows(Role.MANAGER):
        raise PermissionDeniedError(f"Only a manager or the owner can approve; {what}.")
    return user_info(user)
