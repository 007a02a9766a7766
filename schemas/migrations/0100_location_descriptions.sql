-- FSMA 204's location description (21 CFR 1.1310) has a phone number, and the initial packer
-- keeps the harvester's (1.1330(a)(7)). The farmers' and sites' phones may already exist, as
-- the village deliveries and certificates bring them; only what is missing is added.
ALTER TABLE producers ADD COLUMN IF NOT EXISTS phone text;
ALTER TABLE locations ADD COLUMN IF NOT EXISTS contact_phone text;
