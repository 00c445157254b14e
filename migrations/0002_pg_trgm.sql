-- Trigram indexes make contact search (ILIKE '%term%' on name, email, phone) an index scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
