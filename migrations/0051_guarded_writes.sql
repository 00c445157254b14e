-- Fails a statement whose guarded write found nothing to guard: message create (create-message.ts)
-- writes a message from the conversation it read without a lock, in one statement whose update
-- matches the conversation only as it was read; if it changed since, this undoes the statement's
-- inserts too, and the caller writes the message under the row lock instead.
CREATE FUNCTION parley_assert(condition boolean, failure text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF condition IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'PX001', MESSAGE = failure;
  END IF;
  RETURN true;
END
$$;
