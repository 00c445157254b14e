SELECT 1; -- placeholder 0044_chatwoot_reports
