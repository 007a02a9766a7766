-- Indexes for the ways batches are traced and audited: a producer's harvests (recall by
-- producer), the corrections of an event, and one user's writes in the audit log.

CREATE INDEX harvest_lots_producer ON harvest_lots (producer);
CREATE INDEX events_corrects ON events (corrects) WHERE corrects IS NOT NULL;
CREATE INDEX audit_log_user ON audit_log (user_id, at);
