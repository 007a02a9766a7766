-- Readings as a hypertable, compressed per device and metric.

CREATE EXTENSION IF NOT EXISTS timescaledb;

SELECT create_hypertable('readings', by_range('time', INTERVAL '1 day'),
                         migrate_data => true, if_not_exists => true);

ALTER TABLE readings SET (timescaledb.compress,
                          timescaledb.compress_segmentby = 'device_id, metric',
                          timescaledb.compress_orderby = 'time');
