-- Page summaries are rewritten every time their batch's devices report (the summary workers
-- rebuild thousands a minute), each a few kilobytes that PostgreSQL compresses. lz4 writes
-- and reads them in half the time pglz takes; a server built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE batch_summaries ALTER COLUMN summary SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server: page summaries stay compressed with pglz';
END $$;
