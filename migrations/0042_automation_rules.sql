SELECT 1; -- placeholder 0042_automation_rules
