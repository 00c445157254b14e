-- placeholder for 0025_number_store: replaced by the helper that owns it
SELECT 25;
