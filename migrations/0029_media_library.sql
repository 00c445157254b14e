-- placeholder for 0029_media_library: replaced by the helper that owns it
SELECT 29;
