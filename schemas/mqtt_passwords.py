"""Passwords for MQTT clients, hashed in Mosquitto's PBKDF2-SHA512 (``$7$``) format."""

import base64
import hashlib
import hmac
import secrets

# Mosquitto's own tool uses 101 iterations; more costs the broker a little per connect only.
PBKDF2_ITERATIONS = 1_000
SALT_BYTES = 12


def new_password() -> str:
    return secrets.token_urlsafe(24)


def mosquitto_hash(password: str, iterations: int = PBKDF2_ITERATIONS) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_mosquitto_hash(password: str, hashed: str) -> bool:
    _, kind, iterations, salt, digest = hashed.split("$")
    if kind != "7":
        return False
    computed = hashlib.pbkdf2_hmac(
        "sha512", password.encode(), base64.b64decode(salt), int(iterations)
    )
    return hmac.compare_digest(computed, base64.b64decode(digest))
