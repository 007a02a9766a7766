"""The collector's Prometheus metrics, served on its own port."""

from prometheus_client import Counter, Gauge, Histogram

MESSAGES = Counter(
    "farmtrace_ingest_messages", "MQTT messages received by this collector", ["outcome"]
)
ROWS_WRITTEN = Counter("farmtrace_ingest_rows_written", "Readings newly stored")
DUPLICATES = Counter(
    "farmtrace_ingest_duplicates", "Readings already stored (a replayed or redelivered message)"
)
DEAD_LETTERS = Counter(
    "farmtrace_ingest_dead_letters", "Refused messages and records kept with their reason", ["kind"]
)
FLUSH_SECONDS = Histogram(
    "farmtrace_ingest_flush_seconds",
    "Time to write and commit one batch",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
FLUSH_ERRORS = Counter(
    "farmtrace_ingest_flush_errors", "Batches whose write failed and was retried"
)
LAG_SECONDS = Histogram(
    "farmtrace_ingest_lag_seconds",
    "From a message's newest reading time to the commit that stored it",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0, 86400.0),
)
PENDING_MESSAGES = Gauge(
    "farmtrace_ingest_pending_messages",
    "Messages received and not yet acknowledged (the broker's receive maximum caps it)",
)
