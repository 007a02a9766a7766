-- Village-point agents: users of role 'village', each tied to the service point (or township
-- station) it records for.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('staff', 'inspector', 'admin', 'village'));
ALTER TABLE users ADD COLUMN location text REFERENCES locations (code);
ALTER TABLE users ADD CONSTRAINT users_village_has_a_point
    CHECK (role <> 'village' OR location IS NOT NULL);

-- A harvest lot made at a village point carries the code printed on the farmer's receipt.
ALTER TABLE harvest_lots ADD COLUMN code text UNIQUE;

-- A farmer's delivery at a village point. Its id is made on the phone, so a resend after a
-- lost answer finds the row it made; body_sha256 tells a resend from a different delivery.
CREATE TABLE farm_deliveries (
    id                  uuid PRIMARY KEY,
    body_sha256         text NOT NULL,
    village_point       text NOT NULL REFERENCES locations (code),
    farmer              text NOT NULL REFERENCES producers (code),
    product             text NOT NULL REFERENCES products (code),
    variety             text,
    plot                text,
    harvest_lot_id      bigint NOT NULL UNIQUE REFERENCES harvest_lots (id),
    -- The farmer's own 承诺达标合格证, received with the produce (NULL number: none given).
    certificate_number  text,
    certificate_issuer  text,
    certificate_basis   text CHECK (certificate_basis IN
                            ('quality_control', 'self_tested', 'commissioned_test')),
    -- The sha256 of the certificate's cleaned photo, whose bytes live beside the pages' media
    -- (store.media_storage); unlike theirs, it is served to staff and inspectors only.
    certificate_photo   text CHECK (certificate_photo ~ '^[0-9a-f]{64}$'),
    recorded_at         timestamptz NOT NULL,
    recorded_by         bigint REFERENCES users (id),
    stored_at           timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (farmer, plot) REFERENCES producer_plots (producer, code),
    CHECK (certificate_number IS NOT NULL OR certificate_basis IS NULL)
);
CREATE INDEX farm_deliveries_point_time ON farm_deliveries (village_point, recorded_at);
CREATE INDEX farm_deliveries_certificate_photo ON farm_deliveries (certificate_photo);

-- A trip carries deliveries gathered at a township station (or straight from a village
-- point) to the centre, where staff receive them into batches. Like a delivery, a trip may
-- be recorded offline: phone_id, made on the phone, finds the first send's row, and
-- body_sha256 tells a resend from a different trip under a used id.
CREATE TABLE trips (
    id           bigserial PRIMARY KEY,
    phone_id     uuid NOT NULL UNIQUE,
    body_sha256  text NOT NULL,
    code         text NOT NULL UNIQUE,
    origin       text NOT NULL REFERENCES locations (code),
    vehicle      text,
    departed_at  timestamptz NOT NULL,
    recorded_by  bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE trip_deliveries (
    trip_id      bigint NOT NULL REFERENCES trips (id),
    delivery_id  uuid NOT NULL UNIQUE REFERENCES farm_deliveries (id),
    PRIMARY KEY (trip_id, delivery_id)
);
