-- Console sessions kept on the server, so logout, a password reset and disabling a user end
-- them at once (a signed cookie alone stays valid wherever it was copied to).
CREATE TABLE console_sessions (
    -- sha256 of the random session id the cookie carries: the id itself is never stored.
    id_hash     text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz
);
CREATE INDEX console_sessions_open ON console_sessions (user_id) WHERE ended_at IS NULL;

-- Failed sign-ins, by account and by client address, for throttling across API processes.
CREATE TABLE login_failures (
    key     text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
