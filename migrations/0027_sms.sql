-- placeholder for 0027_sms: replaced by the helper that owns it
SELECT 27;
