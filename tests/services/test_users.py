from __future__ import annotations

import pytest
from sqlalchemy import select

from pos_app.db.models import Token
from pos_app.services import auth, users
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SessionEndedError,
    ValidationError,
)
from pos_app.services.roles import Role
from tests.factories import PASSWORD, Staff, make_owner, make_staff


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


def tokens_revoked(ctx: ServiceContext, user_id: int) -> list[bool]:
    with ctx.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(Token.revoked).where(Token.user_id == user_id)))


def test_create_user_is_the_auth_registration() -> None:
    assert users.create_user is auth.register_user


def test_owners_list_everyone_by_name(ctx: ServiceContext, staff: Staff) -> None:
    listed = users.list_users(ctx, staff.owner)
    assert [u.last_name for u in listed] == sorted(u.last_name for u in staff)
    assert {u.id for u in listed} == {u.id for u in staff}
    users.set_user_active(ctx, staff.owner, staff.cashier.id, False)
    active = users.list_users(ctx, staff.owner, include_inactive=False)
    assert staff.cashier.id not in {u.id for u in active}
    assert len(users.list_users(ctx, staff.owner)) == 3
    with pytest.raises(ValidationError) as error:
        users.list_users(ctx, staff.owner, include_inactive="no")  # type: ignore[arg-type]
    assert error.value.field == "include_inactive"


def test_changing_a_role(ctx: ServiceContext, staff: Staff) -> None:
    promoted = users.change_role(ctx, staff.owner, staff.cashier.id, "Manager")
    assert promoted.role is Role.MANAGER
    assert auth.get_user(ctx, staff.owner, staff.cashier.id).role is Role.MANAGER
    assert users.change_role(ctx, staff.owner, staff.manager.id, Role.OWNER).role is Role.OWNER
    with pytest.raises(ValidationError) as error:
        users.change_role(ctx, staff.owner, staff.cashier.id, "admin")
    assert error.value.field == "role"


def test_the_last_active_owner_cannot_be_demoted(ctx: ServiceContext, staff: Staff) -> None:
    with pytest.raises(ConflictError) as error:
        users.change_role(ctx, staff.owner, staff.owner.id, Role.MANAGER)
    assert error.value.field == "role"
    assert "at least one active owner" in error.value.message
    second = make_owner(ctx, by=staff.owner)
    assert users.change_role(ctx, second, staff.owner.id, Role.MANAGER).role is Role.MANAGER
    with pytest.raises(ConflictError):
        users.change_role(ctx, second, second.id, Role.CASHIER)


def test_an_inactive_owner_does_not_count_as_the_spare(ctx: ServiceContext, staff: Staff) -> None:
    second = make_owner(ctx, by=staff.owner)
    users.set_user_active(ctx, staff.owner, second.id, False)
    with pytest.raises(ConflictError):
        users.change_role(ctx, staff.owner, staff.owner.id, Role.MANAGER)


def test_nobody_deactivates_themselves(ctx: ServiceContext, staff: Staff) -> None:
    second = make_owner(ctx, by=staff.owner)
    with pytest.raises(ConflictError) as error:
        users.set_user_active(ctx, second, second.id, False)
    assert error.value.field == "user_id"
    assert auth.get_user(ctx, staff.owner, second.id).is_active


def test_a_demoted_owners_open_session_cannot_deactivate_the_last_owner(
    ctx: ServiceContext, staff: Staff
) -> None:
    second = make_owner(ctx, by=staff.owner)
    users.change_role(ctx, staff.owner, second.id, Role.MANAGER)
    # ``second`` still holds an owner session from before the demotion: it proves nothing now.
    with pytest.raises(SessionEndedError, match="Your role was changed to manager"):
        users.set_user_active(ctx, second, staff.owner.id, False)
    assert auth.get_user(ctx, staff.owner, staff.owner.id).is_active


def test_deactivation_ends_sessions_and_reactivation_allows_login(
    ctx: ServiceContext, staff: Staff
) -> None:
    session = auth.login(ctx, staff.cashier.email, PASSWORD)
    gone = users.set_user_active(ctx, staff.owner, staff.cashier.id, False)
    assert not gone.is_active
    assert tokens_revoked(ctx, staff.cashier.id) == [True, True]  # the factory's and this one
    with pytest.raises(AuthenticationError):
        auth.current_user(ctx, session.token)
    with pytest.raises(AuthenticationError):
        auth.login(ctx, staff.cashier.email, PASSWORD)
    assert users.set_user_active(ctx, staff.owner, staff.cashier.id, True).is_active
    with pytest.raises(AuthenticationError):
        auth.current_user(ctx, session.token)
    fresh = auth.login(ctx, staff.cashier.email, PASSWORD)
    assert auth.current_user(ctx, fresh.token).id == staff.cashier.id


def test_resetting_a_password_ends_sessions(ctx: ServiceContext, staff: Staff) -> None:
    session = auth.login(ctx, staff.manager.email, PASSWORD)
    other = auth.login(ctx, staff.cashier.email, PASSWORD)
    users.reset_password(ctx, staff.owner, staff.manager.id, "a brand new secret")
    with pytest.raises(AuthenticationError):
        auth.current_user(ctx, session.token)
    assert auth.current_user(ctx, other.token).id == staff.cashier.id
    with pytest.raises(AuthenticationError):
        auth.login(ctx, staff.manager.email, PASSWORD)
    assert auth.login(ctx, staff.manager.email, "a brand new secret").user.id == staff.manager.id


def test_a_reset_password_must_be_acceptable(ctx: ServiceContext, staff: Staff) -> None:
    for bad in ("short", None, 12345678, "x" * 2000):
        with pytest.raises(ValidationError) as error:
            users.reset_password(ctx, staff.owner, staff.manager.id, bad)  # type: ignore[arg-type]
        assert error.value.field == "new_password"
    assert auth.login(ctx, staff.manager.email, PASSWORD).user.id == staff.manager.id


def test_unknown_and_malformed_user_ids(ctx: ServiceContext, staff: Staff) -> None:
    calls = (
        lambda uid: users.change_role(ctx, staff.owner, uid, Role.CASHIER),
        lambda uid: users.set_user_active(ctx, staff.owner, uid, False),
        lambda uid: users.reset_password(ctx, staff.owner, uid, "long enough pass"),
    )
    for call in calls:
        with pytest.raises(NotFoundError) as missing:
            call(999)
        assert missing.value.field == "user_id"
        for bad in ("1", True, 0, 2**64, None):
            with pytest.raises(ValidationError) as error:
                call(bad)
            assert error.value.field == "user_id"
    with pytest.raises(ValidationError) as active:
        users.set_user_active(ctx, staff.owner, staff.cashier.id, 0)  # type: ignore[arg-type]
    assert active.value.field == "active"


@pytest.mark.parametrize("role", ["manager", "cashier"])
def test_only_owners_manage_accounts(ctx: ServiceContext, staff: Staff, role: str) -> None:
    actor = staff.manager if role == "manager" else staff.cashier
    for call in (
        lambda: users.list_users(ctx, actor),
        lambda: users.change_role(ctx, actor, staff.cashier.id, Role.OWNER),
        lambda: users.set_user_active(ctx, actor, staff.cashier.id, False),
        lambda: users.reset_password(ctx, actor, staff.owner.id, "taken over!"),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    assert auth.get_user(ctx, staff.owner, staff.cashier.id).role is Role.CASHIER
    assert auth.login(ctx, staff.owner.email, PASSWORD).user.is_active
