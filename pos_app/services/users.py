"""Staff accounts, managed by owners: list, change roles, (de)activate, reset passwords.

New accounts are created with :func:`pos_app.services.auth.register_user` (``create_user`` here).
The shop always keeps at least one active owner.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_app.db.models import Token, User
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize, user_info
from pos_app.services.auth import parse_role, register_user, validate_password
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError
from pos_app.services.roles import Role, UserInfo
from pos_app.services.validation import check_bool, check_id

create_user = register_user

LAST_OWNER = "The shop needs at least one active owner; make someone else owner first."


def list_users(
    ctx: ServiceContext, actor: UserSession, *, include_inactive: bool = True
) -> list[UserInfo]:
    """Every account by name; ``include_inactive=False`` leaves deactivated ones out."""
    query = select(User).order_by(User.last_name, User.first_name, User.id)
    if not check_bool(include_inactive, "include_inactive"):
        query = query.where(User.is_active.is_(True))
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "manage staff accounts")
        return [user_info(user) for user in session.scalars(query)]


def _lock_user(session: Session, user_id: object) -> User:
    uid = check_id(user_id, "user_id", "user")
    user = session.get(User, uid, with_for_update=True)
    if user is None:
        raise NotFoundError("No such user.", field="user_id")
    return user


def _is_last_active_owner(session: Session, user: User) -> bool:
    if user.role != Role.OWNER.value or not user.is_active:
        return False
    # Lock every active owner row so two owners cannot demote each other at the same moment.
    owners = session.scalars(
        select(User.id)
        .where(User.role == Role.OWNER.value, User.is_active.is_(True))
        .with_for_update()
    ).all()
    return len(owners) <= 1


def _revoke_tokens(session: Session, user_id: int) -> None:
    session.execute(
        update(Token).where(Token.user_id == user_id, Token.revoked.is_(False)).values(revoked=True)
    )


def change_role(
    ctx: ServiceContext, actor: UserSession, user_id: int, role: Role | str
) -> UserInfo:
    wanted = parse_role(role)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.OWNER, "change roles")
        user = _lock_user(session, user_id)
        if wanted is not Role.OWNER and _is_last_active_owner(session, user):
            raise ConflictError(LAST_OWNER, field="role")
        old_role = user.role
        user.role = wanted.value
        session.flush()
        info = user_info(user)
        audit.record(
            session,
            ctx,
            action=audit.ROLE_CHANGED,
            user_id=acting.id,
            subject=user.email,
            detail={"user_id": user.id, "old_role": old_role, "new_role": wanted.value},
        )
        session.commit()
        return info


def set_user_active(
    ctx: ServiceContext, actor: UserSession, user_id: int, active: bool
) -> UserInfo:
    """Reactivate or deactivate an account; deactivation ends all its sessions."""
    wanted = check_bool(active, "active")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.OWNER, "activate or deactivate accounts")
        user = _lock_user(session, user_id)
        if not wanted:
            if user.id == acting.id:
                raise ConflictError("You cannot deactivate your own account.", field="user_id")
            if _is_last_active_owner(session, user):
                raise ConflictError(LAST_OWNER, field="user_id")
            _revoke_tokens(session, user.id)
        user.is_active = wanted
        session.flush()
        info = user_info(user)
        audit.record(
            session,
            ctx,
            action=audit.USER_ACTIVE_CHANGED,
            user_id=acting.id,
            subject=user.email,
            detail={"user_id": user.id, "active": wanted},
        )
        session.commit()
        return info


def reset_password(
    ctx: ServiceContext, actor: UserSession, user_id: int, new_password: str
) -> None:
    """Set a new password for someone who forgot theirs; all their sessions end."""
    validate_password(new_password, field="new_password")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.OWNER, "reset passwords")
        user = _lock_user(session, user_id)
        user.password_hash = ctx.password_hasher.hash(new_password)
        user.failed_logins = 0
        user.locked_until = None
        _revoke_tokens(session, user.id)
        audit.record(
            session,
            ctx,
            action=audit.PASSWORD_RESET,
            user_id=acting.id,
            subject=user.email,
            detail={"user_id": user.id},
        )
        session.commit()
