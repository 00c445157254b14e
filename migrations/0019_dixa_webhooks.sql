-- Placeholder until the owner of 0019_dixa_webhooks writes it.
SELECT 1;
