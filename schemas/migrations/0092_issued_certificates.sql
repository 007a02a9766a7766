-- The 承诺达标合格证 the centre issues when it packs (mixes or repacks) covered produce, as
-- issued: every item the rules require is copied in, so the record stays what was printed
-- whatever later happens to the master data. Kept at least two years (kept_until), apart
-- from the readings' retention, and never changed.
CREATE TABLE issued_certificates (
    id               bigserial PRIMARY KEY,
    number           text NOT NULL UNIQUE,
    batch_id         bigint NOT NULL UNIQUE REFERENCES batches (id),
    product_name     text NOT NULL,
    quantity         numeric NOT NULL,
    unit             text NOT NULL,
    issuer_name      text NOT NULL,
    issuer_contact   text,
    origin           text NOT NULL,
    basis            text NOT NULL CHECK (basis IN
                         ('quality_control', 'self_tested', 'commissioned_test')),
    tests            jsonb NOT NULL DEFAULT '[]',
    received         jsonb NOT NULL DEFAULT '[]',
    commitment       text NOT NULL,
    issued_at        timestamptz NOT NULL,
    issued_by        bigint REFERENCES users (id),
    kept_until       date NOT NULL,
    CHECK (kept_until >= (issued_at AT TIME ZONE 'Asia/Shanghai')::date + 730)
);
CREATE INDEX issued_certificates_issued_at ON issued_certificates (issued_at);

CREATE FUNCTION keep_issued_certificates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'an issued certificate is never changed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.kept_until > current_date THEN
        RAISE EXCEPTION 'certificate % is kept until %', OLD.number, OLD.kept_until
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER issued_certificates_kept BEFORE UPDATE OR DELETE ON issued_certificates
    FOR EACH ROW EXECUTE FUNCTION keep_issued_certificates();

-- The certificates received with farmers' deliveries are kept at least two years too.
CREATE FUNCTION keep_received_certificates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.recorded_at > now() - interval '2 years' THEN
        RAISE EXCEPTION 'delivery % and its certificate are kept two years', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER farm_deliveries_kept BEFORE DELETE ON farm_deliveries
    FOR EACH ROW EXECUTE FUNCTION keep_received_certificates();
