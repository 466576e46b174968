"""``pos-app create-user``: accounts from the command line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pos_app.cli.common import Commands, fail, service_context

if TYPE_CHECKING:
    from pos_app.config import Settings


def register(commands: Commands) -> None:
    user = commands.add_parser("create-user", help="create an account")
    user.add_argument("--email", required=True)
    user.add_argument("--first-name", required=True)
    user.add_argument("--last-name", required=True)
    user.add_argument("--role", choices=("cashier", "manager", "owner"), default="cashier")
    user.add_argument("--password", help="the new account's password (prompted when omitted)")
    user.add_argument("--as-email", help="e-mail of the manager or owner creating the account")
    user.add_argument("--as-password", help="that manager's or owner's password")
    user.set_defaults(handler=create_user_command)


def create_user_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app.services import auth

    with service_context(settings) as ctx:
        actor = None
        if auth.count_users(ctx):
            if not args.as_email or not args.as_password:
                return fail(
                    "Creating an account needs --as-email and --as-password of a manager or owner"
                )
            actor = auth.login(ctx, args.as_email, args.as_password).session
        try:
            password = args.password if args.password is not None else _ask_password()
            user = auth.register_user(
                ctx, actor, email=args.email, password=password, first_name=args.first_name,
                last_name=args.last_name, role=args.role,
            )  # fmt: skip
        finally:
            if actor is not None:
                auth.logout(ctx, actor.token)
    print(f"Created {user.role.label.lower()} account {user.email} (id {user.id}).")
    return 0


def _ask_password() -> str:
    import getpass

    from pos_app.config import ConfigError

    first = getpass.getpass("Password for the new account: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise ConfigError("--password: the two passwords typed do not match.")
    return first
