"""Data contracts: wire records, domain models, settings and the SQL schema."""
