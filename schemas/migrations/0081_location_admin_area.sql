-- The full administrative name of the place a location stands for, largest unit first, as a
-- Chinese address is written (四川省乐山市金口河区永和镇新乐村), and in English: a village
-- service point's origin on the consumer's page is its village, not the service point.
ALTER TABLE locations ADD COLUMN IF NOT EXISTS admin_area text;
ALTER TABLE locations ADD COLUMN IF NOT EXISTS admin_area_en text;
