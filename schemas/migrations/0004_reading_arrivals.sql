-- An outbox of newly stored readings: the collector adds one row per device per commit, in
-- the same transaction as the readings; the watcher that opens alarms and refreshes batch
-- summaries consumes it. Late data (a gateway flushing hours of spool) shows up here with
-- its old reading times, so the summaries of the batches it concerns are recomputed.

CREATE TABLE reading_arrivals (
    id            bigserial PRIMARY KEY,
    device_id     text NOT NULL,
    first_time    timestamptz NOT NULL,
    last_time     timestamptz NOT NULL,
    row_count     integer NOT NULL,
    committed_at  timestamptz NOT NULL DEFAULT now()
);
