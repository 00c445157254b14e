-- Placeholder until the owner of 0014_end_user_attributes writes it.
SELECT 1;
