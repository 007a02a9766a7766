-- A dead letter arriving again (the same refusal of the same input) counts on its row:
-- received_at is its first arrival, last_received_at its latest, arrivals how many.
ALTER TABLE dead_letters
    ADD COLUMN arrivals integer NOT NULL DEFAULT 1 CHECK (arrivals > 0),
    ADD COLUMN last_received_at timestamptz;
UPDATE dead_letters SET last_received_at = received_at;
ALTER TABLE dead_letters
    ALTER COLUMN last_received_at SET NOT NULL,
    ALTER COLUMN last_received_at SET DEFAULT now();
-- `farmtrace dead-letters list|replay --device ID`.
CREATE INDEX dead_letters_device ON dead_letters (device_id, id);

-- Deliveries of messages the broker sent again (MQTT DUP), counted before they are read:
-- a message on which collectors keep failing is parked as a dead letter after a few.
CREATE TABLE message_deliveries (
    fingerprint      text PRIMARY KEY,
    topic            text NOT NULL,
    attempts         integer NOT NULL,
    last_attempt_at  timestamptz NOT NULL DEFAULT now()
);
