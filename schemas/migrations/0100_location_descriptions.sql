-- FSMA 204's "location description" (21 CFR 1.1310) is a business name, a phone number and a
-- physical address. A site's number is also what the centre prints on the 承诺达标合格证 it
-- issues. (The harvester's phone, 1.1330(a)(7), is the farmer's, added with the farmers.)
ALTER TABLE locations
    ADD COLUMN address text,
    ADD COLUMN phone text CHECK (phone ~ '^\+?[0-9][0-9 -]{4,23}$');
