from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from pos_app.services import auth
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from pos_app.services.roles import Role
from tests.conftest import FakeClock
from tests.factories import signed_in

PASSWORD = "correct horse battery"


def make_owner(ctx: ServiceContext) -> UserSession:
    owner = auth.register_user(
        ctx, None, email="Owner@Shop.test", password=PASSWORD, first_name="Olga", last_name="Owner"
    )
    return signed_in(ctx, owner, PASSWORD)


def test_first_user_becomes_owner_and_email_is_case_insensitive(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    assert owner.role is Role.OWNER
    assert owner.email == "owner@shop.test"
    with pytest.raises(ConflictError) as error:
        auth.register_user(
            ctx, owner, email="OWNER@shop.test", password=PASSWORD, first_name="A", last_name="B"
        )
    assert error.value.field == "email"


def test_a_cashier_cannot_create_accounts(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    cashier = auth.register_user(
        ctx, owner, email="c@shop.test", password=PASSWORD, first_name="C", last_name="C"
    )
    assert cashier.role is Role.CASHIER
    with pytest.raises(PermissionDeniedError):
        auth.register_user(
            ctx,
            signed_in(ctx, cashier, PASSWORD),
            email="d@shop.test",
            password=PASSWORD,
            first_name="D",
            last_name="D",
        )


def test_a_manager_creates_cashiers_and_only_an_owner_creates_managers_and_owners(
    ctx: ServiceContext,
) -> None:
    owner = make_owner(ctx)
    manager = signed_in(
        ctx,
        auth.register_user(
            ctx,
            owner,
            email="m@shop.test",
            password=PASSWORD,
            first_name="M",
            last_name="M",
            role=Role.MANAGER,
        ),
        PASSWORD,
    )
    made = auth.register_user(
        ctx, manager, email="c@shop.test", password=PASSWORD, first_name="C", last_name="C"
    )
    assert made.role is Role.CASHIER
    for role in (Role.MANAGER, Role.OWNER):
        with pytest.raises(PermissionDeniedError, match="Only owners can create manager"):
            auth.register_user(
                ctx, manager, email=f"new-{role}@shop.test", password=PASSWORD, first_name="X",
                last_name="Y", role=role,
            )  # fmt: skip
        assert auth.register_user(
            ctx, owner, email=f"new-{role}@shop.test", password=PASSWORD, first_name="X",
            last_name="Y", role=role,
        ).role is role  # fmt: skip


def test_login_resolves_token_and_logout_revokes_it(ctx: ServiceContext) -> None:
    make_owner(ctx)
    result = auth.login(ctx, "owner@shop.test", PASSWORD)
    assert auth.current_user(ctx, result.token).email == "owner@shop.test"
    auth.logout(ctx, result.token)
    with pytest.raises(AuthenticationError):
        auth.current_user(ctx, result.token)


def test_unknown_email_and_wrong_password_read_the_same(ctx: ServiceContext) -> None:
    make_owner(ctx)
    with pytest.raises(AuthenticationError) as unknown:
        auth.login(ctx, "nobody@shop.test", PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        auth.login(ctx, "owner@shop.test", "wrong password")
    assert unknown.value.message == wrong.value.message


def test_five_failures_lock_the_account_for_five_minutes(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    make_owner(ctx)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError):
            auth.login(ctx, "owner@shop.test", "wrong password")
    with pytest.raises(AuthenticationError) as locked:
        auth.login(ctx, "owner@shop.test", PASSWORD)
    assert locked.value.message.endswith("locked for 5 more minutes.")
    clock.advance(minutes=4, seconds=10)
    with pytest.raises(AuthenticationError) as last:
        auth.login(ctx, "owner@shop.test", PASSWORD)
    assert last.value.message.endswith("locked for 1 more minute.")
    clock.advance(seconds=51)
    assert auth.login(ctx, "owner@shop.test", PASSWORD).user.role is Role.OWNER


def test_token_expires(ctx: ServiceContext, clock: FakeClock) -> None:
    make_owner(ctx)
    result = auth.login(replace(ctx, token_ttl=timedelta(hours=12)), "owner@shop.test", PASSWORD)
    clock.advance(hours=13)
    with pytest.raises(AuthenticationError):
        auth.current_user(ctx, result.token)


def test_change_password_revokes_other_sessions(ctx: ServiceContext) -> None:
    make_owner(ctx)
    first = auth.login(ctx, "owner@shop.test", PASSWORD)
    second = auth.login(ctx, "owner@shop.test", PASSWORD)
    with pytest.raises(ValidationError):
        auth.change_password(ctx, first.token, PASSWORD, "short")
    auth.change_password(ctx, first.token, PASSWORD, "a much better password")
    assert auth.current_user(ctx, first.token).email == "owner@shop.test"
    with pytest.raises(AuthenticationError):
        auth.current_user(ctx, second.token)
    assert auth.login(ctx, "owner@shop.test", "a much better password").token


def test_login_rehashes_when_parameters_change(ctx: ServiceContext) -> None:
    from dataclasses import replace

    from argon2 import PasswordHasher

    make_owner(ctx)
    stronger = replace(
        ctx, password_hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    )
    auth.login(stronger, "owner@shop.test", PASSWORD)
    from sqlalchemy import select

    from pos_app.db.models import User

    with ctx.unit_of_work(readonly=True) as session:
        stored = session.scalar(select(User.password_hash))
    assert stored is not None and "t=2" in stored
