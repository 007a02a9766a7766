-- FSMA 204's "location description" (21 CFR 1.1310) is a business name, a phone number and a
-- physical address; the initial packer also keeps the harvester's phone (1.1330(a)(7)).
ALTER TABLE locations ADD COLUMN address text, ADD COLUMN phone text;
ALTER TABLE producers ADD COLUMN phone text;
