"""Console sessions on the server: the cookie carries a random id, the database its state."""

import hashlib
import secrets

import psycopg
from psycopg.rows import dict_row

from store.users import User

SESSION_ID_BYTES = 32


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(conn: psycopg.Connection, user_id: int) -> str:
    """A new session for the user; returns the id for the cookie (only its hash is kept)."""
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    with conn.transaction():
        conn.execute(
            "INSERT INTO console_sessions (id_hash, user_id) VALUES (%s, %s)",
            (_id_hash(session_id), user_id),
        )
    return session_id


def session_user(conn: psycopg.Connection, session_id: str, max_age_s: int) -> User | None:
    """The user of an open session younger than ``max_age_s`` whose account is enabled."""
    row = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "SELECT u.id, u.username, u.role, u.location FROM console_sessions s"
            " JOIN users u ON u.id = s.user_id"
            " WHERE s.id_hash = %s AND s.ended_at IS NULL AND u.disabled_at IS NULL"
            "   AND s.started_at > now() - make_interval(secs => %s)",
            (_id_hash(session_id), max_age_s),
        )
        .fetchone()
    )
    return User(**row) if row else None


def end_session(conn: psycopg.Connection, session_id: str) -> None:
    with conn.transaction():
        conn.execute(
            "UPDATE console_sessions SET ended_at = now() WHERE id_hash = %s AND ended_at IS NULL",
            (_id_hash(session_id),),
        )


def end_sessions_of(conn: psycopg.Connection, user_id: int) -> int:
    """End every open session of a user (password reset, disabling); returns how many."""
    with conn.transaction():
        ended = conn.execute(
            "UPDATE console_sessions SET ended_at = now() WHERE user_id = %s AND ended_at IS NULL",
            (user_id,),
        )
    return ended.rowcount
