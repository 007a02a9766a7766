-- Locations, devices and their installations, readings and dead letters.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE locations (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    name_en     text,
    kind        text NOT NULL CHECK (kind IN ('village_point', 'township_station',
                    'processing_room', 'cold_store', 'warehouse', 'truck')),
    gln         text UNIQUE CHECK (gln ~ '^[0-9]{13}$'),
    township    text,
    parent      text REFERENCES locations (code),
    latitude    double precision,
    longitude   double precision,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE devices (
    device_id            text PRIMARY KEY CHECK (device_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    kind                 text NOT NULL,
    -- Mosquitto's PBKDF2-SHA512 hash of the device's MQTT password.
    mqtt_password_hash   text NOT NULL,
    -- How often the device reports; silence longer than this is a gap in the record.
    reporting_interval_s integer NOT NULL DEFAULT 60 CHECK (reporting_interval_s > 0),
    last_calibrated      date,
    calibration_interval_days integer NOT NULL DEFAULT 365,
    created_at           timestamptz NOT NULL DEFAULT now(),
    revoked_at           timestamptz
);

CREATE TABLE device_installations (
    device_id  text NOT NULL REFERENCES devices (device_id),
    location   text NOT NULL REFERENCES locations (code),
    during     tstzrange NOT NULL CHECK (NOT isempty(during)),
    EXCLUDE USING gist (device_id WITH =, during WITH &&)
);
CREATE INDEX device_installations_location ON device_installations USING gist (location, during);

CREATE TABLE readings (
    time       timestamptz NOT NULL,
    device_id  text NOT NULL,
    metric     text NOT NULL,
    value      double precision NOT NULL,
    -- A replayed message changes nothing: one value per device, metric and instant.
    UNIQUE (device_id, metric, time)
);

CREATE TABLE dead_letters (
    id            bigserial PRIMARY KEY,
    received_at   timestamptz NOT NULL DEFAULT now(),
    topic         text NOT NULL,
    device_id     text,
    record_index  integer,
    reason        text NOT NULL,
    payload       bytea NOT NULL,
    payload_size  integer NOT NULL,
    -- Several collectors may see the same refused message redelivered; keep it once.
    fingerprint   text UNIQUE
);
CREATE INDEX dead_letters_received_at ON dead_letters (received_at);
