SELECT 1; -- placeholder 0046_public_identity_presence
