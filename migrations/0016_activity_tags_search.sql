-- Placeholder until the owner of 0016_activity_tags_search writes it.
SELECT 1;
