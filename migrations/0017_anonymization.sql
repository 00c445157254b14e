-- Placeholder until the owner of 0017_anonymization writes it.
SELECT 1;
