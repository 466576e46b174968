"""Sessions opened and ended: the signed token and its row in ``tokens``, in Core statements.

A login (``pos_app.services.auth``) and a command's short-lived owner session
(``pos_app.bootstrap``) open sessions here; logging out ends them. Neither needs the ORM, so a
command-line report never imports it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from pos_app.db.tables import tokens
from pos_app.services import audit
from pos_app.services.access import JWT_ALGORITHM, SESSION_ENDED, hash_token, is_token, pyjwt
from pos_app.services.context import ServiceContext, Transaction
from pos_app.services.errors import AuthenticationError

if TYPE_CHECKING:
    from sqlalchemy import Row

    from pos_app.db.models import User


def issue_token(
    ctx: ServiceContext,
    session: Transaction,
    user: User | Row[Any],
    now: datetime,
    ttl: timedelta | None = None,
) -> tuple[str, datetime]:
    """Sign a session token for ``user`` and store its hash; the caller commits."""
    expires_at = now + (ctx.token_ttl if ttl is None else ttl)
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "purpose": "session",
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_hex(16),
    }
    jwt = pyjwt()
    token = jwt.encode(claims, ctx.jwt_secret, algorithm=JWT_ALGORITHM)
    session.execute(
        insert(tokens).values(
            user_id=user.id,
            token_hash=hash_token(token),
            issued_at=now,
            expires_at=expires_at,
            revoked=False,
        )
    )
    return token, expires_at


def logout(ctx: ServiceContext, token: str) -> None:
    """End the session; the log-out is recorded in the audit log (once)."""
    if not is_token(token):
        raise AuthenticationError(SESSION_ENDED)
    token_hash = hash_token(token)
    with ctx.connection() as connection:
        user_id = connection.scalar(
            select(tokens.c.user_id).where(
                tokens.c.token_hash == token_hash, tokens.c.revoked.is_(False)
            )
        )
        connection.execute(
            update(tokens).where(tokens.c.token_hash == token_hash).values(revoked=True)
        )
        if user_id is not None:
            audit.record(connection, ctx, action=audit.LOGOUT, user_id=user_id)
        connection.commit()


__all__ = ["issue_token", "logout"]
