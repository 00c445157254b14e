-- Placeholder until the owner of 0017_search_anonymization writes it.
SELECT 1;
