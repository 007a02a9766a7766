-- Users, master data, batches, their events, custody and genealogy.

CREATE TABLE users (
    id             bigserial PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    role           text NOT NULL CHECK (role IN ('staff', 'inspector', 'admin')),
    password_hash  text NOT NULL,
    -- sha256 of the API token: the token itself is shown once and never stored.
    token_hash     text NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz
);

CREATE TABLE producers (
    code                 text PRIMARY KEY,
    name                 text NOT NULL,
    kind                 text NOT NULL DEFAULT 'farmer' CHECK (kind IN ('farmer', 'cooperative', 'enterprise')),
    village              text REFERENCES locations (code),
    township             text,
    -- Whether the producer agreed to have their name shown on public pages.
    public_name_consent  boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    code                   text PRIMARY KEY,
    name_zh                text NOT NULL,
    name_en                text NOT NULL,
    category               text NOT NULL,
    gtin                   text UNIQUE CHECK (gtin ~ '^[0-9]{14}$'),
    grade_standard         text,
    temp_min               double precision,
    temp_max               double precision,
    humidity_max           double precision,
    max_excursion_minutes  integer NOT NULL DEFAULT 30,
    max_gap_minutes        integer NOT NULL DEFAULT 10,
    shelf_life_days        integer,
    created_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (temp_min IS NULL OR temp_max IS NULL OR temp_min <= temp_max)
);

CREATE TABLE batches (
    id             bigserial PRIMARY KEY,
    lot_code       text NOT NULL UNIQUE CHECK (char_length(lot_code) <= 20),
    product        text NOT NULL REFERENCES products (code),
    grade          text,
    quantity       numeric NOT NULL CHECK (quantity >= 0),
    unit           text NOT NULL,
    status         text NOT NULL DEFAULT 'in_processing'
                       CHECK (status IN ('in_processing', 'ready', 'shipped', 'delivered', 'consumed')),
    received_at    timestamptz NOT NULL,
    packed_at      timestamptz,
    best_before    date,
    recalled_at    timestamptz,
    recall_reason  text,
    created_by     bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batches_product ON batches (product);
CREATE INDEX batches_received_at ON batches (received_at);

CREATE TABLE harvest_lots (
    id            bigserial PRIMARY KEY,
    producer      text NOT NULL REFERENCES producers (code),
    village       text NOT NULL REFERENCES locations (code),
    harvest_date  date NOT NULL,
    quantity      numeric NOT NULL CHECK (quantity > 0),
    unit          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The harvest lots received into a batch (a batch may merge several).
CREATE TABLE batch_harvest_lots (
    batch_id        bigint NOT NULL REFERENCES batches (id),
    harvest_lot_id  bigint NOT NULL REFERENCES harvest_lots (id),
    PRIMARY KEY (batch_id, harvest_lot_id)
);
CREATE INDEX batch_harvest_lots_lot ON batch_harvest_lots (harvest_lot_id);

-- Genealogy between batches: a child made from a parent by a split or merge.
CREATE TABLE batch_lineage (
    parent_id  bigint NOT NULL REFERENCES batches (id),
    child_id   bigint NOT NULL REFERENCES batches (id),
    quantity   numeric,
    event_id   bigint,
    PRIMARY KEY (parent_id, child_id),
    CHECK (parent_id <> child_id)
);
CREATE INDEX batch_lineage_child ON batch_lineage (child_id);

-- EPCIS-style events: append-only; a correction is a new event pointing at the old one.
CREATE TABLE events (
    id             bigserial PRIMARY KEY,
    event_id       uuid NOT NULL UNIQUE,
    batch_id       bigint NOT NULL REFERENCES batches (id),
    type           text NOT NULL,
    business_step  text NOT NULL,
    time           timestamptz NOT NULL,
    location       text REFERENCES locations (code),
    data           jsonb NOT NULL DEFAULT '{}',
    corrects       bigint REFERENCES events (id),
    recorded_by    bigint REFERENCES users (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_batch ON events (batch_id, time);
CREATE INDEX events_time ON events (time);

CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only; record a correction instead'
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();

-- Where a batch was and when; intervals of one batch never overlap.
CREATE TABLE custody (
    id         bigserial PRIMARY KEY,
    batch_id   bigint NOT NULL REFERENCES batches (id),
    location   text NOT NULL REFERENCES locations (code),
    during     tstzrange NOT NULL CHECK (NOT isempty(during)),
    moved_by   bigint REFERENCES users (id),
    EXCLUDE USING gist (batch_id WITH =, during WITH &&)
);
CREATE INDEX custody_location ON custody USING gist (location, during);

-- Who did what, when: every write through the API or the consoles.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    user_id   bigint REFERENCES users (id),
    action    text NOT NULL,
    object    text NOT NULL,
    details   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
