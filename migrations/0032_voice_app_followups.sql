-- placeholder for 0032_voice_app_followups: replaced by the helper that owns it
SELECT 32;
