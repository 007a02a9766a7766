-- Where each stored hour's readings lie: its first and last reading and the longest silence
-- between two of them. With these, findings tell from the hours alone that an hour in band
-- and densely recorded holds no excursion and no gap, and read raw readings only for the
-- hours that might (store/findings.py). An hour whose columns are null is read raw.

ALTER TABLE reading_hours
    ADD COLUMN first_time timestamptz,
    ADD COLUMN last_time timestamptz,
    ADD COLUMN longest_gap_s double precision;

WITH spaced AS (
    SELECT device_id, metric, time,
           date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
           time - lag(time) OVER (
               PARTITION BY device_id, metric,
                            date_bin('1 hour', time, TIMESTAMPTZ '2000-01-01 00:00:00+00')
               ORDER BY time) AS gap
    FROM readings
), hours AS (
    SELECT device_id, metric, bucket, min(time) AS first_time, max(time) AS last_time,
           coalesce(extract(epoch FROM max(gap)), 0) AS longest_gap_s
    FROM spaced
    GROUP BY 1, 2, 3
)
UPDATE reading_hours h
SET first_time = hours.first_time, last_time = hours.last_time,
    longest_gap_s = hours.longest_gap_s
FROM hours
WHERE h.device_id = hours.device_id AND h.metric = hours.metric AND h.bucket = hours.bucket;
