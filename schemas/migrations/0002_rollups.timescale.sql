-- The rollup views become continuous aggregates with real-time aggregation, so they answer
-- exactly as the date_bin views do on plain PostgreSQL (time_bucket's origin for these
-- widths falls on the same bucket edges).

DROP VIEW IF EXISTS readings_5m;

CREATE MATERIALIZED VIEW readings_5m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket,
       device_id, metric,
       min(value) AS min, max(value) AS max, avg(value) AS avg, count(*) AS count
FROM readings
GROUP BY 1, 2, 3
WITH NO DATA;

SELECT add_continuous_aggregate_policy('readings_5m',
    start_offset => INTERVAL '3 days', end_offset => INTERVAL '5 minutes',
    schedule_interval => INTERVAL '5 minutes', if_not_exists => true);

DROP VIEW IF EXISTS readings_1h;

CREATE MATERIALIZED VIEW readings_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS bucket,
       device_id, metric,
       min(value) AS min, max(value) AS max, avg(value) AS avg, count(*) AS count
FROM readings
GROUP BY 1, 2, 3
WITH NO DATA;

SELECT add_continuous_aggregate_policy('readings_1h',
    start_offset => INTERVAL '30 days', end_offset => INTERVAL '1 hour',
    schedule_interval => INTERVAL '1 hour', if_not_exists => true);
