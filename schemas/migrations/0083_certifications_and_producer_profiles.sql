-- Certifications a consumer looks for (地理标志, 绿色食品, 有机): who issued them, their number
-- and validity, for a product, a producer, or a producer's product. Kept at least two years
-- (they are never deleted here). A producer's profile is shown only with its own consent.
ALTER TABLE producers ADD COLUMN IF NOT EXISTS profile text;
ALTER TABLE producers ADD COLUMN IF NOT EXISTS profile_en text;
ALTER TABLE producers ADD COLUMN IF NOT EXISTS public_profile_consent boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS certifications (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('geographical_indication', 'green_food', 'organic',
                                               'pollution_free', 'other')),
    name         text NOT NULL,
    number       text NOT NULL,
    issuer       text NOT NULL,
    valid_from   date NOT NULL,
    valid_until  date NOT NULL,
    product      text REFERENCES products (code),
    producer     text REFERENCES producers (code),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_from <= valid_until),
    CHECK (product IS NOT NULL OR producer IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS certifications_product ON certifications (product);
CREATE INDEX IF NOT EXISTS certifications_producer ON certifications (producer);

-- A new certificate changes the pages of the batches it covers.
CREATE OR REPLACE FUNCTION batch_summary_stale_on_certification() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mark_batch_summaries_stale(ARRAY(
        SELECT b.id FROM batches b
        WHERE NEW.producer IS NULL AND b.product = NEW.product
        UNION
        SELECT l.batch_id FROM batch_harvest_lots l
        JOIN harvest_lots h ON h.id = l.harvest_lot_id
        JOIN batches b ON b.id = l.batch_id
        WHERE h.producer = NEW.producer AND (NEW.product IS NULL OR b.product = NEW.product)));
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS certifications_summary_stale ON certifications;
CREATE TRIGGER certifications_summary_stale AFTER INSERT OR UPDATE ON certifications
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_certification();
