-- Five-minute and hourly rollups. On plain PostgreSQL they are views computed with date_bin;
-- where TimescaleDB is present, 0002_rollups.timescale.sql replaces them with continuous
-- aggregates of the same names and columns, so every query gives the same answer on both.

CREATE VIEW readings_5m AS
SELECT date_bin('5 minutes', time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
       device_id, metric,
       min(value) AS min, max(value) AS max, avg(value) AS avg, count(*) AS count
FROM readings
GROUP BY 1, 2, 3;

CREATE VIEW readings_1h AS
SELECT date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
       device_id, metric,
       min(value) AS min, max(value) AS max, avg(value) AS avg, count(*) AS count
FROM readings
GROUP BY 1, 2, 3;
