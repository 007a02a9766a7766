-- Real-time alarms: a location holding batches outside their storage band, or a device gone
-- silent. One open alarm per condition (kind, device, metric), enforced by the database, so
-- two watchers, replayed or late readings can never open a second one.

CREATE TABLE alarms (
    id               bigserial PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('excursion', 'silence')),
    device_id        text NOT NULL REFERENCES devices (device_id),
    -- '' for a silence: the whole device, whatever it measures.
    metric           text NOT NULL DEFAULT '',
    location         text REFERENCES locations (code),
    -- When the condition began (reading time), and when the watcher saw it.
    started_at       timestamptz NOT NULL,
    opened_at        timestamptz NOT NULL DEFAULT now(),
    peak             double precision,
    details          jsonb NOT NULL DEFAULT '{}',
    closed_at        timestamptz,
    acknowledged_at  timestamptz,
    acknowledged_by  bigint REFERENCES users (id),
    ack_comment      text,
    CHECK (acknowledged_at IS NULL OR ack_comment IS NOT NULL)
);
CREATE UNIQUE INDEX alarms_one_open_per_condition ON alarms (kind, device_id, metric)
    WHERE closed_at IS NULL;
CREATE INDEX alarms_opened_at ON alarms (opened_at);

-- The newest reading time seen per device, kept from the arrivals outbox (a late flush of
-- old readings never moves it back), for the silence check.
CREATE TABLE device_last_readings (
    device_id  text PRIMARY KEY REFERENCES devices (device_id),
    last_time  timestamptz NOT NULL
);
INSERT INTO device_last_readings (device_id, last_time)
SELECT r.device_id, max(r.time) FROM readings r JOIN devices d ON d.device_id = r.device_id
GROUP BY r.device_id;

-- Webhook deliveries owed: written with the alarm change, sent after commit, retried.
CREATE TABLE alarm_notifications (
    id          bigserial PRIMARY KEY,
    alarm_id    bigint NOT NULL REFERENCES alarms (id),
    event       text NOT NULL CHECK (event IN ('opened', 'closed', 'acknowledged')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0,
    sent_at     timestamptz,
    last_error  text
);
CREATE INDEX alarm_notifications_pending ON alarm_notifications (id) WHERE sent_at IS NULL;

-- Recalls: what was recalled, why, by whom, and every batch it reached.
CREATE TABLE recalls (
    id          bigserial PRIMARY KEY,
    scope       text NOT NULL CHECK (scope IN ('batch', 'harvest_lot', 'producer')),
    reference   text NOT NULL,
    reason      text NOT NULL,
    recalled_by bigint REFERENCES users (id),
    recalled_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE recall_batches (
    recall_id  bigint NOT NULL REFERENCES recalls (id),
    batch_id   bigint NOT NULL REFERENCES batches (id),
    PRIMARY KEY (recall_id, batch_id)
);
