-- New readings change only the cold chain of a summary. The watcher marks the summaries its
-- arrivals concern as due in its alarm round (one statement, however many batches) and
-- rebuilds due ones after that round has committed, oldest mark first: alarms never wait
-- for page summaries, and a batch that many arrivals touch before its turn is rebuilt once.
-- The page keeps serving the summary it has meanwhile (a due summary is not stale).

ALTER TABLE batch_summaries
    ADD COLUMN readings_due_since timestamptz,
    -- Counts due marks, as ``changes`` counts stale marks: a rebuild clears the mark only if
    -- no arrival marked the summary again while it was computed.
    ADD COLUMN readings_marks bigint NOT NULL DEFAULT 0;
CREATE INDEX batch_summaries_readings_due ON batch_summaries (readings_due_since, batch_id)
    WHERE readings_due_since IS NOT NULL;

-- The batches and every batch descended from them: a child's page shows its parents' steps
-- and cold chain, so whatever changes a parent's page changes the child's too.
CREATE FUNCTION batches_and_descendants(batch_ids bigint[]) RETURNS SETOF bigint
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE down(id) AS (
        SELECT unnest(batch_ids)
        UNION
        SELECT l.child_id FROM batch_lineage l JOIN down ON l.parent_id = down.id
    )
    SELECT id FROM down WHERE id IS NOT NULL;
$$;

CREATE OR REPLACE FUNCTION mark_batch_summaries_stale(batch_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO batch_summaries (batch_id, stale)
    SELECT id, true FROM batches_and_descendants(batch_ids) AS id
    ON CONFLICT (batch_id) DO UPDATE
        SET stale = true, changes = batch_summaries.changes + 1;
$$;

-- Marks the batches and their descendants due; returns how many were marked.
CREATE FUNCTION mark_batch_summaries_due(batch_ids bigint[]) RETURNS integer
LANGUAGE sql AS $$
    WITH marked AS (
        INSERT INTO batch_summaries (batch_id, readings_due_since, readings_marks)
        SELECT id, now(), 1 FROM batches_and_descendants(batch_ids) AS id ORDER BY id
        ON CONFLICT (batch_id) DO UPDATE
            SET readings_due_since = coalesce(batch_summaries.readings_due_since, now()),
                readings_marks = batch_summaries.readings_marks + 1
        RETURNING 1
    )
    SELECT count(*)::integer FROM marked;
$$;

-- A due mark is no news to the API processes' caches: announce only what changes a page.
DROP TRIGGER batch_summaries_announce ON batch_summaries;
CREATE TRIGGER batch_summaries_announce_insert AFTER INSERT ON batch_summaries
    FOR EACH ROW EXECUTE FUNCTION announce_batch_summary_change();
CREATE TRIGGER batch_summaries_announce AFTER UPDATE ON batch_summaries
    FOR EACH ROW
    WHEN (OLD.version IS DISTINCT FROM NEW.version OR OLD.stale IS DISTINCT FROM NEW.stale)
    EXECUTE FUNCTION announce_batch_summary_change();

-- The 承诺达标合格证 issued for a batch and the plots its farmers grow on are on its page.
CREATE FUNCTION batch_summary_stale_on_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'issued_certificates' THEN
        PERFORM mark_batch_summaries_stale(ARRAY[NEW.batch_id]);
    ELSE
        PERFORM mark_batch_summaries_stale(ARRAY(
            SELECT l.batch_id FROM farm_deliveries d
            JOIN batch_harvest_lots l ON l.harvest_lot_id = d.harvest_lot_id
            WHERE d.farmer = NEW.producer AND d.plot = NEW.code));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER issued_certificates_summary_stale AFTER INSERT ON issued_certificates
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_source();
CREATE TRIGGER producer_plots_summary_stale AFTER UPDATE ON producer_plots
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_source();
