-- Placeholder until the owner of 0016_activity_log_tags writes it.
SELECT 1;
