-- Farmers as master data: a phone (for the centre and inspectors, never for public pages),
-- the plots they grow on, and consent for what the public page may show beyond their name.
ALTER TABLE producers
    ADD COLUMN phone text CHECK (phone ~ '^\+?[0-9][0-9 -]{4,23}$'),
    ADD COLUMN public_plots_consent boolean NOT NULL DEFAULT false;

CREATE TABLE producer_plots (
    producer  text NOT NULL REFERENCES producers (code),
    code      text NOT NULL,
    name      text NOT NULL,
    area_mu   numeric CHECK (area_mu > 0),
    PRIMARY KEY (producer, code)
);

-- The category of the 承诺达标合格证 rules (农业农村部令 2025 年第 4 号, article 3) a product
-- falls under; 'none' for products outside them (dried goods, medicinal herbs, nuts).
ALTER TABLE products
    ADD COLUMN certificate_category text NOT NULL DEFAULT 'none'
        CHECK (certificate_category IN ('vegetable', 'edible_fungus', 'fruit', 'fresh_tea',
                                        'livestock', 'poultry', 'egg', 'aquatic', 'none'));
