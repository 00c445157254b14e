-- placeholder for 0026_telephony_calls: replaced by the helper that owns it
SELECT 26;
