-- Webhook deliveries are claimed for a lease, sent outside any transaction, and retried with
-- back-off: a notification is due again at next_attempt_at, and a claim that its watcher did
-- not settle (it died mid-send) lapses at claimed_until.
ALTER TABLE alarm_notifications
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN claimed_until   timestamptz;
DROP INDEX alarm_notifications_pending;
CREATE INDEX alarm_notifications_due ON alarm_notifications (next_attempt_at)
    WHERE sent_at IS NULL;
