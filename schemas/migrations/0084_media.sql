-- Photos and PDFs, stored by content hash (the bytes live behind store.media_storage: on disk
-- by default, an S3-compatible store can serve them). A photo is kept as the resized,
-- metadata-free variants the pages need, each its own media row; the upload itself is not kept.
CREATE TABLE IF NOT EXISTS media (
    digest        text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'application/pdf')),
    bytes         integer NOT NULL CHECK (bytes > 0),
    width         integer,
    height        integer,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- What a photo or document is of: a harvest lot, an event, a producer or a location.
CREATE TABLE IF NOT EXISTS attachments (
    id            bigserial PRIMARY KEY,
    subject_kind  text NOT NULL CHECK (subject_kind IN ('harvest_lot', 'event', 'producer',
                                                        'location')),
    subject       text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('photo', 'document')),
    -- A photo's variants, smallest first; a document's one file.
    digests       text[] NOT NULL,
    caption       text,
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS attachments_subject ON attachments (subject_kind, subject);

-- A new photo or document changes the pages of the batches it belongs to.
CREATE OR REPLACE FUNCTION batch_summary_stale_on_attachment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mark_batch_summaries_stale(ARRAY(
        SELECT l.batch_id FROM batch_harvest_lots l
        JOIN harvest_lots h ON h.id = l.harvest_lot_id
        WHERE (NEW.subject_kind = 'harvest_lot' AND h.id::text = NEW.subject)
           OR (NEW.subject_kind = 'producer' AND h.producer = NEW.subject)
           OR (NEW.subject_kind = 'location' AND h.village = NEW.subject)
        UNION
        SELECT e.batch_id FROM events e
        WHERE NEW.subject_kind = 'event' AND e.event_id::text = NEW.subject));
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS attachments_summary_stale ON attachments;
CREATE TRIGGER attachments_summary_stale AFTER INSERT ON attachments
    FOR EACH ROW EXECUTE FUNCTION batch_summary_stale_on_attachment();
