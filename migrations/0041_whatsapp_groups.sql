SELECT 1; -- placeholder 0041_whatsapp_groups
