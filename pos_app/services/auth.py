"""Accounts and sessions: register, log in and out, resolve a token, change a password."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import Token, User
from pos_app.services import audit
from pos_app.services.access import (
    APPROVAL_PURPOSE,
    JWT_ALGORITHM,
    SESSION_ENDED,
    ApprovalToken,
    UserSession,
    authorize,
    check_role,
    hash_token,
    pyjwt,
    token_user,
    user_info,
)
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from pos_app.services.roles import Role, UserInfo
from pos_app.services.sessions import issue_token
from pos_app.services.sessions import logout as logout  # ending a session is part of accounts
from pos_app.services.validation import check_id, clean_text, is_text

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD = 1024
APPROVAL_TTL = timedelta(minutes=2)
BAD_CREDENTIALS = "The e-mail or password is not correct."
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class LoginResult:
    """``session`` is what every service call takes as ``actor``; ``user`` is for display."""

    session: UserSession
    expires_at: datetime

    @property
    def token(self) -> str:
        return self.session.token

    @property
    def user(self) -> UserInfo:
        return self.session.user


def normalize_email(raw: object) -> str:
    if not is_text(raw):
        raise ValidationError("Enter an e-mail address.", field="email")
    email = raw.strip().lower()
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValidationError("Enter a valid e-mail address.", field="email")
    return email


def validate_name(raw: object, field: str, label: str) -> str:
    return clean_text(raw, field, label, max_length=100)


def validate_password(raw: object, field: str = "password") -> str:
    if not is_text(raw) or len(raw) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field=field
        )
    if len(raw) > MAX_PASSWORD:
        raise ValidationError("The password is too long.", field=field)
    return raw


def validate_timezone(raw: object) -> str | None:
    """None (the shop's zone) or an IANA zone name such as 'Europe/Berlin'."""
    if raw is None:
        return None
    message = "Choose a time zone such as Europe/Berlin."
    if not is_text(raw) or not raw.strip() or len(raw.strip()) > 64 or "\x00" in raw:
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


def count_users(ctx: ServiceContext) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def register_user(
    ctx: ServiceContext,
    actor: UserSession | None,
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: Role | str = Role.CASHIER,
    timezone: str | None = None,
) -> UserInfo:
    """Create an account. The first user of an empty database becomes owner without an actor;
    after that a manager creates cashiers, and only an owner creates managers and owners."""
    clean_email = normalize_email(email)
    clean_first = validate_name(first_name, "first_name", "first name")
    clean_last = validate_name(last_name, "last_name", "last name")
    validate_password(password)
    wanted_role = parse_role(role)
    clean_timezone = validate_timezone(timezone)
    with ctx.unit_of_work() as session:
        is_first = session.scalar(select(func.count()).select_from(User)) == 0
        acting = None
        if is_first:
            wanted_role = Role.OWNER
        else:
            acting = _check_may_create(session, ctx, actor, wanted_role)
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
            user_id=acting.id if acting else None,
            subject=user.email,
            detail={"user_id": user.id, "role": wanted_role.value},
        )
        session.commit()
        return info


def _check_may_create(
    session: Session, ctx: ServiceContext, actor: UserSession | None, wanted: Role
) -> UserInfo:
    if actor is None:
        raise AuthenticationError("Log in as a manager or owner to create accounts.")
    acting = authorize(session, ctx, actor, Role.MANAGER, "create accounts")
    if wanted is not Role.CASHIER:
        check_role(acting, Role.OWNER, "create manager and owner accounts")
    return acting


def login(ctx: ServiceContext, email: str, password: str) -> LoginResult:
    """Check the credentials and open a session; the same message for any wrong pair."""
    try:
        clean_email = normalize_email(email)
    except ValidationError:
        raise AuthenticationError(BAD_CREDENTIALS) from None
    if not is_text(password) or len(password) > MAX_PASSWORD:
        raise AuthenticationError(BAD_CREDENTIALS)
    now = ctx.now()
    with ctx.unit_of_work() as session:
        user = _check_credentials(ctx, session, clean_email, password, now)
        token, expires_at = issue_token(ctx, session, user, now)
        info = user_info(user)
        audit.record(session, ctx, action=audit.LOGIN, user_id=user.id, subject=user.email)
        session.commit()
        return LoginResult(session=UserSession(token=token, user=info), expires_at=expires_at)


def _check_credentials(
    ctx: ServiceContext, session: Session, email: str, password: str, now: datetime
) -> User:
    """The active account these credentials open; failures are audited and counted."""
    user = session.scalar(select(User).where(User.email == email).with_for_update())
    if user is None:
        _burn_hash_time(ctx, password)
        _audit_failed_login(session, ctx, None, email, "unknown_email")
        raise AuthenticationError(BAD_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
        _audit_failed_login(session, ctx, user.id, email, "locked")
        raise AuthenticationError(
            "Too many failed attempts; this account is locked for 1 more minute."
            if minutes == 1
            else f"Too many failed attempts; this account is locked for {minutes} more minutes."
        )
    if not _password_matches(ctx, user, password):
        _record_failure(user, now)
        _audit_failed_login(session, ctx, user.id, email, "wrong_password")
        raise AuthenticationError(BAD_CREDENTIALS)
    if not user.is_active:
        _audit_failed_login(session, ctx, user.id, email, "inactive")
        raise AuthenticationError("This account has been deactivated.")
    _record_success(ctx, user, password, now)
    return user


def approve(
    ctx: ServiceContext,
    actor: UserSession,
    email: str,
    password: str,
    *,
    action: str,
    reason: str = "",
) -> ApprovalToken:
    """A manager's or owner's password typed at ``actor``'s till, turned into a signed approval
    of ``action`` for that actor alone, valid for two minutes. No session is opened.

    The audit log records the approval: ``reason`` (what was asked, as the till showed it), for
    whom and by whom.
    """
    action = clean_text(action, "action", "action", max_length=200)
    reason = clean_text(reason, "reason", "reason", max_length=200, required=False)
    if not is_text(email) or not is_text(password):
        raise AuthenticationError(BAD_CREDENTIALS)
    try:
        clean_email = normalize_email(email)
    except ValidationError:
        raise AuthenticationError(BAD_CREDENTIALS) from None
    now = ctx.now()
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "ask for an approval")
        approver = _check_credentials(ctx, session, clean_email, password, now)
        if not Role(approver.role).allows(Role.MANAGER):
            session.commit()
            raise PermissionDeniedError("Only a manager or the owner can approve this.")
        approval = signed_approval(ctx, approver, acting, action, now)
        info = approval.approver
        approved = reason or action
        detail = {
            "approved": approved,
            "action": action,
            "for_user_id": acting.id,
            "for_user": acting.full_name,
            "approved_by": info.full_name,
        }
        audit.record(
            session,
            ctx,
            action=audit.APPROVAL,
            user_id=approver.id,
            subject=approved,
            detail=detail,
        )
        session.commit()
        return approval


def signed_approval(
    ctx: ServiceContext, approver: User, acting: UserInfo, action: str, now: datetime
) -> ApprovalToken:
    """``approver``'s consent to ``action`` by ``acting`` alone, signed and valid for
    :data:`APPROVAL_TTL` from ``now``. The caller has checked that ``approver`` may give it."""
    claims = {
        "sub": str(approver.id),
        "role": approver.role,
        "purpose": APPROVAL_PURPOSE,
        "action": action,
        "for": acting.id,
        "iat": int(now.timestamp()),
        "exp": int((now + APPROVAL_TTL).timestamp()),
        "jti": secrets.token_hex(16),
    }
    token = pyjwt().encode(claims, ctx.jwt_secret, algorithm=JWT_ALGORITHM)
    return ApprovalToken(
        token=token, approver=user_info(approver), action=action, expires_at=now + APPROVAL_TTL
    )


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


def current_user(ctx: ServiceContext, token: str) -> UserInfo:
    """The user a session token belongs to; ended, deactivated or demoted -> SessionEndedError."""
    with ctx.unit_of_work(readonly=True) as session:
        return token_user(session, ctx, token)


def change_password(ctx: ServiceContext, token: str, old_password: str, new_password: str) -> None:
    """Change the logged-in user's password; every other session of that user is revoked."""
    actor = current_user(ctx, token)
    if not is_text(old_password) or len(old_password) > MAX_PASSWORD:
        raise ValidationError("The current password is not correct.", field="old_password")
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


def get_user(ctx: ServiceContext, actor: UserSession, user_id: int) -> UserInfo:
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see staff accounts")
        user = session.get(User, check_id(user_id, "user_id", "user"))
        if user is None:
            raise NotFoundError("No such user.")
        return user_info(user)
