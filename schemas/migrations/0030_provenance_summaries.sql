-- Per-batch provenance summaries: what the public page shows, computed once per change so
-- that serving the page costs the same whatever number of readings lies behind the batch.
--
-- Writers of events, custody, batches, lineage and master data mark the summaries they touch
-- stale in their own transaction (the triggers below; those tables are low-volume). Readings
-- are high-volume and carry no trigger: the collector's reading_arrivals outbox (0004) tells
-- the watcher which batches to recompute. A recompute takes the next version number, which
-- the page uses as its ETag.

CREATE SEQUENCE batch_summary_versions;

CREATE TABLE batch_summaries (
    batch_id     bigint PRIMARY KEY REFERENCES batches (id),
    stale        boolean NOT NULL DEFAULT true,
    -- Counts stale marks: a recompute writes its result only if no mark came in meanwhile,
    -- so writers never wait for a recompute and a recompute never hides a newer change.
    changes      bigint NOT NULL DEFAULT 0,
    version      bigint NOT NULL DEFAULT 0,
    computed_at  timestamptz,
    summary      jsonb
);
CREATE INDEX batch_summaries_stale ON batch_summaries (batch_id) WHERE stale;

-- Marks batches and every batch descended from them: a child's page shows its parents'
-- steps and cold chain, so a change to a parent changes the child's page too.
CREATE FUNCTION mark_batch_summaries_stale(batch_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    WITH RECURSIVE down(id) AS (
        SELECT unnest(batch_ids)
        UNION
        SELECT l.child_id FROM batch_lineage l JOIN down ON l.parent_id = down.id
    )
    INSERT INTO batch_summaries (batch_id, stale)
    SELECT id, true FROM down WHERE id IS NOT NULL
    ON CONFLICT (batch_id) DO UPDATE
        SET stale = true, changes = batch_summaries.changes + 1;
$$;

CREATE FUNCTION batch_summary_stale_on_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'batches' THEN
        ids := ARRAY[NEW.id];
    ELSIF TG_TABLE_NAME = 'batch_lineage' THEN
        ids := ARRAY[NEW.child_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.batch_id];
    ELSIF TG_OP = 'UPDATE' THEN
        ids := ARRAY[NEW.batch_id, OLD.batch_id];
    ELSE
        ids := ARRAY[NEW.batch_id];
    END IF;
    PERFORM mark_batch_summaries_stale(ids);
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_summary_stale AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_row();
CREATE TRIGGER custody_summary_stale AFTER INSERT OR UPDATE OR DELETE ON custody
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_row();
CREATE TRIGGER batch_harvest_lots_summary_stale AFTER INSERT OR DELETE ON batch_harvest_lots
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_row();
CREATE TRIGGER batch_lineage_summary_stale AFTER INSERT ON batch_lineage
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_row();
CREATE TRIGGER batches_summary_stale AFTER INSERT OR UPDATE ON batches
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_row();

-- Master data shown on the page: a product's names and storage band, a producer's name and
-- consent, a location's names, and which sensors stood where.
CREATE FUNCTION batch_summary_stale_on_master_data() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'products' THEN
        PERFORM mark_batch_summaries_stale(
            ARRAY(SELECT id FROM batches WHERE product = NEW.code));
    ELSIF TG_TABLE_NAME = 'producers' THEN
        PERFORM mark_batch_summaries_stale(ARRAY(
            SELECT l.batch_id FROM batch_harvest_lots l
            JOIN harvest_lots h ON h.id = l.harvest_lot_id WHERE h.producer = NEW.code));
    ELSIF TG_TABLE_NAME = 'locations' THEN
        PERFORM mark_batch_summaries_stale(ARRAY(
            SELECT batch_id FROM custody WHERE location = NEW.code
            UNION
            SELECT l.batch_id FROM batch_harvest_lots l
            JOIN harvest_lots h ON h.id = l.harvest_lot_id WHERE h.village = NEW.code));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM mark_batch_summaries_stale(ARRAY(
            SELECT batch_id FROM custody
            WHERE location = OLD.location AND during && OLD.during));
    ELSE
        PERFORM mark_batch_summaries_stale(ARRAY(
            SELECT batch_id FROM custody
            WHERE location = NEW.location AND during && NEW.during
            UNION
            SELECT batch_id FROM custody
            WHERE TG_OP = 'UPDATE' AND location = OLD.location AND during && OLD.during));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER products_summary_stale AFTER UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_master_data();
CREATE TRIGGER producers_summary_stale AFTER UPDATE ON producers
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_master_data();
CREATE TRIGGER locations_summary_stale AFTER UPDATE ON locations
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_master_data();
CREATE TRIGGER device_installations_summary_stale
    AFTER INSERT OR UPDATE OR DELETE ON device_installations
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_master_data();

-- Every change of a summary (marked stale, or recomputed) is announced at commit, so API
-- processes that keep summary versions in memory drop them at once (api/summary_heads.py).
CREATE FUNCTION announce_batch_summary_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('farmtrace_summaries', NEW.batch_id::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER batch_summaries_announce AFTER INSERT OR UPDATE ON batch_summaries
    FOR EACH ROW EXECUTE FUNCTION announce_batch_summary_change();

-- Each resolver hit: no IP address, only a coarse client type read from the User-Agent.
CREATE TABLE scans (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    lot_code  text NOT NULL,
    serial    text,
    language  text NOT NULL,
    client    text NOT NULL
);
CREATE INDEX scans_lot ON scans (lot_code, serial);
