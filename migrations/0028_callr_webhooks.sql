-- placeholder for 0028_callr_webhooks: replaced by the helper that owns it
SELECT 28;
