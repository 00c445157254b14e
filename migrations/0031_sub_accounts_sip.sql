-- placeholder for 0031_sub_accounts_sip: replaced by the helper that owns it
SELECT 31;
