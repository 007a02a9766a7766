"""Users of the consoles and the API: argon2 password hashes and sha256 token hashes."""

import hashlib
import secrets
from dataclasses import dataclass

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.rows import dict_row

from store.errors import DuplicateUserError, InvalidUserError

ROLES = ("staff", "inspector", "admin", "village")
# Where a village agent may be tied: the service point or station it records for.
AGENT_LOCATION_KINDS = ("village_point", "township_station")
# 32 random bytes: a bearer token nobody guesses, short enough to paste.
TOKEN_BYTES = 32
PASSWORD_BYTES = 12

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    # The service point a village agent records for; None for every other role.
    location: str | None = None


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


def _check_agent_location(conn: psycopg.Connection, role: str, location: str | None) -> None:
    if role != "village":
        if location is not None:
            raise InvalidUserError("only a village agent is tied to a location")
        return
    if location is None:
        raise InvalidUserError("a village agent needs --location, its service point's code")
    row = conn.execute("SELECT kind FROM locations WHERE code = %s", (location,)).fetchone()
    if row is None:
        raise InvalidUserError(f"unknown location {location!r}")
    if row[0] not in AGENT_LOCATION_KINDS:
        raise InvalidUserError(
            f"location {location!r} is a {row[0]}, not a village point or township station"
        )


def create_user(
    conn: psycopg.Connection,
    username: str,
    role: str,
    password: str | None = None,
    location: str | None = None,
) -> NewUserSecrets:
    if role not in ROLES:
        raise InvalidUserError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    _check_agent_location(conn, role, location)
    password = password or secrets.token_urlsafe(PASSWORD_BYTES)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    try:
        with conn.transaction():
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    "INSERT INTO users (username, role, password_hash, token_hash, location)"
                    " VALUES (%s, %s, %s, %s, %s) RETURNING id, username, role, location",
                    (username, role, _hasher.hash(password), token_hash(token), location),
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
            f"SELECT id, username, role, location FROM users"
            f" WHERE {where} = %s AND disabled_at IS NULL",
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
            "SELECT id, username, role, location, password_hash FROM users"
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
    return User(row["id"], row["username"], row["role"], row["location"])
