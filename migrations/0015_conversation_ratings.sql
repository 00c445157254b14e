-- Placeholder until the owner of 0015_conversation_ratings writes it.
SELECT 1;
