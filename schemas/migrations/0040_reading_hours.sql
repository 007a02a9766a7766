-- Hourly rollups kept as a table, for plain PostgreSQL. There the readings_1h view computes
-- from raw readings on every query, which is too slow for a year of history; this table is
-- kept current by the watcher from the reading-arrivals outbox (store/rollups.py), and hours
-- that pending arrivals touch are read from raw readings until the watcher has refreshed
-- them. On TimescaleDB the readings_1h continuous aggregate serves instead and this table
-- stays empty.

CREATE TABLE reading_hours (
    device_id  text NOT NULL,
    metric     text NOT NULL,
    bucket     timestamptz NOT NULL,
    min        double precision NOT NULL,
    max        double precision NOT NULL,
    avg        double precision NOT NULL,
    count      bigint NOT NULL,
    PRIMARY KEY (device_id, metric, bucket)
);

-- Readings stored before this migration, so history reads them without waiting for arrivals.
INSERT INTO reading_hours (device_id, metric, bucket, min, max, avg, count)
SELECT device_id, metric, date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
       min(value), max(value), avg(value), count(*)
FROM readings
WHERE NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
GROUP BY 1, 2, 3;
