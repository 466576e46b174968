"""Accounts and sessions: register, log in and out, resolve a token, change a password."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import Token, User
from pos_app.services import audit
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from pos_app.services.roles import Role, UserInfo, require_role

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
JWT_ALGORITHM = "HS256"
BAD_CREDENTIALS = "The e-mail or password is not correct."
SESSION_ENDED = "Your session has ended; please log in again."
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class LoginResult:
    token: str
    user: UserInfo
    expires_at: datetime


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


def normalize_email(raw: object) -> str:
    if not isinstance(raw, str):
        raise ValidationError("Enter an e-mail address.", field="email")
    email = raw.strip().lower()
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValidationError("Enter a valid e-mail address.", field="email")
    return email


def validate_name(raw: object, field: str, label: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationError(f"Enter a {label}.", field=field)
    name = raw.strip()
    if len(name) > 100:
        raise ValidationError(f"The {label} is too long (100 characters at most).", field=field)
    return name


def validate_password(raw: object, field: str = "password") -> str:
    if not isinstance(raw, str) or len(raw) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field=field
        )
    if len(raw) > 1024:
        raise ValidationError("The password is too long.", field=field)
    return raw


def validate_timezone(raw: object) -> str | None:
    """None (the shop's zone) or an IANA zone name such as 'Europe/Berlin'."""
    if raw is None:
        return None
    message = "Choose a time zone such as Europe/Berlin."
    if not isinstance(raw, str) or not raw.strip() or len(raw.strip()) > 64:
        raise ValidationError(message, field="timezone")
    name = raw.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(message, field="timezone") from None
    return name


def parse_role(raw: object) -> Role:
    try:
        return Role(str(raw).lower())
    except ValueError:
        raise ValidationError("The role must be cashier, manager or owner.", field="role") from None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def count_users(ctx: ServiceContext) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def register_user(
    ctx: ServiceContext,
    actor: UserInfo | None,
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: Role | str = Role.CASHIER,
    timezone: str | None = None,
) -> UserInfo:
    """Create an account. The first user of an empty database becomes owner without an actor."""
    clean_email = normalize_email(email)
    clean_first = validate_name(first_name, "first_name", "first name")
    clean_last = validate_name(last_name, "last_name", "last name")
    validate_password(password)
    wanted_role = parse_role(role)
    clean_timezone = validate_timezone(timezone)
    with ctx.unit_of_work() as session:
        is_first = session.scalar(select(func.count()).select_from(User)) == 0
        if is_first:
            wanted_role = Role.OWNER
        else:
            _check_may_create(actor, wanted_role)
        user = User(
            email=clean_email,
            first_name=clean_first,
            last_name=clean_last,
            password_hash=ctx.password_hasher.hash(password),
            role=wanted_role.value,
            is_active=True,
            timezone=clean_timezone,
            failed_logins=0,
            created_at=ctx.now(),
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise ConflictError(
                "A user with this e-mail address already exists.", field="email"
            ) from None
        info = user_info(user)
        audit.record(
            session,
            ctx,
            action=audit.USER_CREATED,
            user_id=actor.id if actor else None,
            subject=user.email,
            detail={"user_id": user.id, "role": wanted_role.value},
        )
        session.commit()
        return info


def _check_may_create(actor: UserInfo | None, wanted: Role) -> None:
    if actor is None:
        raise AuthenticationError("Log in as a manager or owner to create accounts.")
    require_role(actor, Role.MANAGER, "create accounts")
    if wanted is Role.OWNER:
        require_role(actor, Role.OWNER, "create owner accounts")


def login(
    ctx: ServiceContext,
    email: str,
    password: str,
    *,
    approval: Mapping[str, object] | None = None,
) -> LoginResult:
    """Check the credentials and open a session; the same message for any wrong pair.

    With ``approval`` (what is approved, for whom) the audit log records an approval by this
    user instead of a log-in.
    """
    try:
        clean_email = normalize_email(email)
    except ValidationError:
        raise AuthenticationError(BAD_CREDENTIALS) from None
    if not isinstance(password, str):
        raise AuthenticationError(BAD_CREDENTIALS)
    now = ctx.now()
    with ctx.unit_of_work() as session:
        user = session.scalar(select(User).where(User.email == clean_email).with_for_update())
        if user is None:
            _burn_hash_time(ctx, password)
            _audit_failed_login(session, ctx, None, clean_email, "unknown_email")
            raise AuthenticationError(BAD_CREDENTIALS)
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
            _audit_failed_login(session, ctx, user.id, clean_email, "locked")
            raise AuthenticationError(
                f"Too many failed attempts; this account is locked for {minutes} more minute(s)."
            )
        if not _password_matches(ctx, user, password):
            _record_failure(user, now)
            _audit_failed_login(session, ctx, user.id, clean_email, "wrong_password")
            raise AuthenticationError(BAD_CREDENTIALS)
        if not user.is_active:
            _audit_failed_login(session, ctx, user.id, clean_email, "inactive")
            raise AuthenticationError("This account has been deactivated.")
        _record_success(ctx, user, password, now)
        token, expires_at = _issue_token(ctx, session, user, now)
        info = user_info(user)
        if approval is None:
            audit.record(session, ctx, action=audit.LOGIN, user_id=user.id, subject=user.email)
        else:
            subject = str(approval.get("approved", ""))
            detail = {**approval, "approved_by": info.full_name}
            audit.record(
                session, ctx, action=audit.APPROVAL, user_id=user.id, subject=subject, detail=detail
            )
        session.commit()
        return LoginResult(token=token, user=info, expires_at=expires_at)


def _audit_failed_login(
    session: Session, ctx: ServiceContext, user_id: int | None, email: str, reason: str
) -> None:
    audit.record(
        session,
        ctx,
        action=audit.LOGIN_FAILED,
        user_id=user_id,
        subject=email,
        detail={"reason": reason},
    )
    session.commit()


def _burn_hash_time(ctx: ServiceContext, password: str) -> None:
    # Spend the time a real verification would, so an unknown e-mail cannot be told by timing.
    ctx.password_hasher.hash(password)


def _password_matches(ctx: ServiceContext, user: User, password: str) -> bool:
    try:
        return ctx.password_hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _record_failure(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCK_DURATION
        user.failed_logins = 0


def _record_success(ctx: ServiceContext, user: User, password: str, now: datetime) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login = now
    if ctx.password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = ctx.password_hasher.hash(password)


def _issue_token(
    ctx: ServiceContext, session: Session, user: User, now: datetime
) -> tuple[str, datetime]:
    expires_at = now + ctx.token_ttl
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_hex(16),
    }
    import jwt  # PyJWT costs every command ~25 ms at start-up; only sessions need it

    token = jwt.encode(claims, ctx.jwt_secret, algorithm=JWT_ALGORITHM)
    session.add(
        Token(
            user_id=user.id,
            token_hash=hash_token(token),
            issued_at=now,
            expires_at=expires_at,
            revoked=False,
        )
    )
    return token, expires_at


def current_user(ctx: ServiceContext, token: str) -> UserInfo:
    """The user a session token belongs to; expired, revoked or inactive -> AuthenticationError."""
    now = ctx.now()
    _decode(ctx, token, now)
    with ctx.unit_of_work(readonly=True) as session:
        row = session.execute(
            select(Token, User)
            .join(User, User.id == Token.user_id)
            .where(Token.token_hash == hash_token(token))
        ).first()
        if row is None:
            raise AuthenticationError(SESSION_ENDED)
        stored, user = row
        if stored.revoked or stored.expires_at <= now or not user.is_active:
            raise AuthenticationError(SESSION_ENDED)
        return user_info(user)


def _decode(ctx: ServiceContext, token: object, now: datetime) -> dict[str, object]:
    if not isinstance(token, str) or not token:
        raise AuthenticationError(SESSION_ENDED)
    import jwt

    try:
        claims: dict[str, object] = jwt.decode(
            token,
            ctx.jwt_secret,
            algorithms=[JWT_ALGORITHM],
            options={"verify_exp": False, "require": ["sub", "exp", "iat"]},
        )
    except jwt.PyJWTError:
        raise AuthenticationError(SESSION_ENDED) from None
    # Expiry is checked against the service clock, not the wall clock, so tests can move time.
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now.timestamp():
        raise AuthenticationError(SESSION_ENDED)
    return claims


def logout(ctx: ServiceContext, token: str) -> None:
    """End the session; the log-out is recorded in the audit log (once)."""
    with ctx.unit_of_work() as session:
        user_id = session.scalar(
            select(Token.user_id).where(
                Token.token_hash == hash_token(token), Token.revoked.is_(False)
            )
        )
        _revoke(session, token)
        if user_id is not None:
            audit.record(session, ctx, action=audit.LOGOUT, user_id=user_id)
        session.commit()


def _revoke(session: Session, token: str) -> None:
    session.execute(update(Token).where(Token.token_hash == hash_token(token)).values(revoked=True))


def change_password(ctx: ServiceContext, token: str, old_password: str, new_password: str) -> None:
    """Change the logged-in user's password; every other session of that user is revoked."""
    actor = current_user(ctx, token)
    validate_password(new_password, field="new_password")
    with ctx.unit_of_work() as session:
        user = session.get(User, actor.id, with_for_update=True)
        if user is None:
            raise AuthenticationError(SESSION_ENDED)
        if not _password_matches(ctx, user, old_password):
            raise ValidationError("The current password is not correct.", field="old_password")
        user.password_hash = ctx.password_hasher.hash(new_password)
        session.execute(
            update(Token)
            .where(Token.user_id == user.id, Token.token_hash != hash_token(token))
            .values(revoked=True)
        )
        session.commit()


def verify_credentials(
    ctx: ServiceContext,
    email: str,
    password: str,
    *,
    approving: str | None = None,
    for_user: UserInfo | None = None,
) -> UserInfo:
    """Check a password without opening a session (unlocking an idle till, manager approval).

    ``approving`` says what a manager approves here and ``for_user`` for whom; the audit log
    then shows an approval (what, for whom, by whom), not a log-in.
    """
    approval: dict[str, object] | None = None
    if approving is not None:
        approval = {"approved": str(approving)[:200]}
        if for_user is not None:
            approval |= {"for_user_id": for_user.id, "for_user": for_user.full_name}
    result = login(ctx, email, password, approval=approval)
    with ctx.unit_of_work() as session:
        _revoke(session, result.token)
        session.commit()
    return result.user


def get_user(ctx: ServiceContext, user_id: int) -> UserInfo:
    with ctx.unit_of_work(readonly=True) as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("No such user.")
        return user_info(user)
