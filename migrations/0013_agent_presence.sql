-- Placeholder until the owner of 0013_agent_presence writes it.
SELECT 1;
