"""What `farmtrace users` does besides adding: list, disable, enable, new secrets.

Disabling a user and resetting a password end the user's console sessions at once; rotating
the token makes the old one unknown. A disabled user's token is refused on its next request
(``user_by_token`` reads only enabled users).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import dict_row, tuple_row

from store.errors import UnknownUserError
from store.sessions import end_sessions_of
from store.users import PASSWORD_BYTES, TOKEN_BYTES, hash_password, token_hash


@dataclass(frozen=True)
class UserListing:
    username: str
    role: str
    created_at: datetime
    disabled_at: datetime | None
    location: str | None = None


def list_users(conn: psycopg.Connection) -> list[UserListing]:
    found = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "SELECT username, role, created_at, disabled_at, location FROM users"
            " ORDER BY username"
        )
        .fetchall()
    )
    return [UserListing(**row) for row in found]


def _update_user(conn: psycopg.Connection, username: str, assignment: str, value: object) -> int:
    with conn.transaction():
        row = (
            conn.cursor(row_factory=tuple_row)
            .execute(
                f"UPDATE users SET {assignment} WHERE username = %s RETURNING id",
                (*((value,) if value is not None else ()), username),
            )
            .fetchone()
        )
    if row is None:
        raise UnknownUserError(f"no user {username!r}")
    return int(row[0])


def disable_user(conn: psycopg.Connection, username: str) -> None:
    user_id = _update_user(conn, username, "disabled_at = coalesce(disabled_at, now())", None)
    end_sessions_of(conn, user_id)


def enable_user(conn: psycopg.Connection, username: str) -> None:
    _update_user(conn, username, "disabled_at = NULL", None)


def reset_password(conn: psycopg.Connection, username: str) -> str:
    """A new random password (returned once); the user's sessions end."""
    password = secrets.token_urlsafe(PASSWORD_BYTES)
    user_id = _update_user(conn, username, "password_hash = %s", hash_password(password))
    end_sessions_of(conn, user_id)
    return password


def rotate_token(conn: psycopg.Connection, username: str) -> str:
    """A new API token (returned once); the old one is refused from now on."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    _update_user(conn, username, "token_hash = %s", token_hash(token))
    return token
