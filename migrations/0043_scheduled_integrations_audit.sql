SELECT 1; -- placeholder 0043_scheduled_integrations_audit
