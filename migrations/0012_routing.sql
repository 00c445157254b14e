-- Placeholder until the owner of 0012_routing writes it.
SELECT 1;
