"""Users of the consoles and the API: argon2 password hashes and sha256 token hashes."""

import hashlib
import secrets
from dataclasses import dataclass

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.rows import dict_row

from store.errors import DuplicateUserError, InvalidUserError

ROLES = ("staff", "inspector", "admin")
# 32 random bytes: a bearer token nobody guesses, short enough to paste.
TOKEN_BYTES = 32
PASSWORD_BYTES = 12

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str


@dataclass(frozen=True)
class NewUserSecrets:
    """What `users add` prints once; only hashes of these are stored."""

    user: User
    password: str
    token: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    conn: psycopg.Connection, username: str, role: str, password: str | None = None
) -> NewUserSecrets:
    if role not in ROLES:
        raise InvalidUserError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    password = password or secrets.token_urlsafe(PASSWORD_BYTES)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    try:
        with conn.transaction():
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    "INSERT INTO users (username, role, password_hash, token_hash)"
                    " VALUES (%s, %s, %s, %s) RETURNING id, username, role",
                    (username, role, _hasher.hash(password), token_hash(token)),
                )
                .fetchone()
            )
    except psycopg.errors.UniqueViolation as error:
        raise DuplicateUserError(f"user {username!r} already exists") from error
    assert row is not None
    return NewUserSecrets(User(**row), password, token)


def _one_user(conn: psycopg.Connection, where: str, value: object) -> User | None:
    row = (
        conn.cursor(row_factory=dict_row)
        .execute(
            f"SELECT id, username, role FROM users WHERE {where} = %s AND disabled_at IS NULL",
            (value,),
        )
        .fetchone()
    )
    return User(**row) if row else None


def user_by_token(conn: psycopg.Connection, token: str) -> User | None:
    return _one_user(conn, "token_hash", token_hash(token))


def authenticate(conn: psycopg.Connection, username: str, password: str) -> User | None:
    """The user if the password matches; None for an unknown name or a wrong password."""
    row = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "SELECT id, username, role, password_hash FROM users"
            " WHERE username = %s AND disabled_at IS NULL",
            (username,),
        )
        .fetchone()
    )
    if row is None:
        # Spend the same time as a real check so a probe cannot tell names apart.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row["id"], row["username"], row["role"])
