-- Conversation tallies per (account, inbox, status, assignee), kept by statement-level triggers so
-- a bulk statement aggregates once. Keys are written in sorted order, so two transactions touching
-- the same keys lock them in the same order. assignee 0 = unassigned.
-- Inserted rows count +1 and deleted rows -1 towards their key; both triggers name their
-- transition table changed_rows.
CREATE FUNCTION conversation_tallies_add_or_remove() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign int := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO conversation_tallies AS tally (account_id, inbox_id, status, assignee_id, count)
  SELECT account_id, inbox_id, status, coalesce(assignee_id, 0), sign * count(*)
  FROM changed_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (account_id, inbox_id, status, assignee_id) DO UPDATE SET count = tally.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Most updates (a new message moves last_activity_at) change no key: the deltas cancel and nothing
-- is written.
CREATE FUNCTION conversation_tallies_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_tallies AS tally (account_id, inbox_id, status, assignee_id, count)
  SELECT account_id, inbox_id, status, assignee_id, sum(delta)
  FROM (
    SELECT account_id, inbox_id, status, coalesce(assignee_id, 0) AS assignee_id, -1 AS delta FROM old_rows
    UNION ALL
    SELECT account_id, inbox_id, status, coalesce(assignee_id, 0), 1 FROM new_rows
  ) AS deltas
  GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (account_id, inbox_id, status, assignee_id) DO UPDATE SET count = tally.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conversation_tallies_on_insert AFTER INSERT ON conversations
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION conversation_tallies_add_or_remove();
--> statement-breakpoint
CREATE TRIGGER conversation_tallies_on_delete AFTER DELETE ON conversations
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION conversation_tallies_add_or_remove();
--> statement-breakpoint
CREATE TRIGGER conversation_tallies_on_update AFTER UPDATE ON conversations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conversation_tallies_move();
--> statement-breakpoint
INSERT INTO conversation_tallies (account_id, inbox_id, status, assignee_id, count)
SELECT account_id, inbox_id, status, coalesce(assignee_id, 0), count(*) FROM conversations GROUP BY 1, 2, 3, 4;
