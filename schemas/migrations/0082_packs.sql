-- One code per pack (一物一码): a product's pack size, and the serialised packs (GS1 AI 21)
-- that a packing event makes. A pack's serial goes into its own QR code; scans are counted
-- per serial in `scans` (never with the scanner's address).
ALTER TABLE products ADD COLUMN IF NOT EXISTS pack_quantity numeric CHECK (pack_quantity > 0);
ALTER TABLE products ADD COLUMN IF NOT EXISTS pack_unit text;
ALTER TABLE products DROP CONSTRAINT IF EXISTS products_pack_size_whole;
ALTER TABLE products ADD CONSTRAINT products_pack_size_whole
    CHECK ((pack_quantity IS NULL) = (pack_unit IS NULL));

CREATE TABLE IF NOT EXISTS packs (
    id          bigserial PRIMARY KEY,
    batch_id    bigint NOT NULL REFERENCES batches (id),
    -- Random, from the GS1 AI 82 set's digits and capitals: a pack's code cannot be guessed
    -- from its neighbour's.
    serial      text NOT NULL CHECK (serial ~ '^[0-9A-Z]{1,20}$'),
    quantity    numeric NOT NULL CHECK (quantity > 0),
    unit        text NOT NULL,
    event_id    bigint NOT NULL REFERENCES events (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch_id, serial)
);
