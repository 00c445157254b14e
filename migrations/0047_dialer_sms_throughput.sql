SELECT 1; -- placeholder 0047_dialer_sms_throughput
