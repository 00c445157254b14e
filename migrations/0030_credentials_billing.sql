-- placeholder for 0030_credentials_billing: replaced by the helper that owns it
SELECT 30;
