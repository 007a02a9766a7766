-- The hourly rollup table serves history and findings on TimescaleDB too. The continuous
-- aggregates' policies refresh only a window behind now (3 days for readings_5m, 30 for
-- readings_1h), so readings arriving later than that into an already materialised range
-- never reached them; reading_hours is refreshed by the watcher for exactly the hours each
-- arrival touches, however old. 0040 left it empty on TimescaleDB: fill it there now.

INSERT INTO reading_hours (device_id, metric, bucket, min, max, avg, count)
SELECT device_id, metric, date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
       min(value), max(value), avg(value), count(*)
FROM readings
WHERE EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
GROUP BY 1, 2, 3
ON CONFLICT (device_id, metric, bucket) DO NOTHING;
