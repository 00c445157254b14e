-- The signed upload link of a call is claimed by a conditional UPDATE (... WHERE upload_claimed_at IS
-- NULL), so of several concurrent PUTs exactly one stores the recording.
ALTER TABLE "calls" ADD COLUMN "upload_claimed_at" timestamp with time zone;
