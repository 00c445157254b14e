SELECT 1; -- placeholder 0045_help_center_survey
