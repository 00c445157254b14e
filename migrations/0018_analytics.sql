-- Placeholder until the owner of 0018_analytics writes it.
SELECT 1;
