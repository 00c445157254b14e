-- Conversation display ids move from a counter row (whose lock every new conversation of an account
-- held until its transaction committed) to one sequence per account, as Chatwoot does. Triggers on
-- `accounts` create and drop the sequence, so every way an account is made gets one.
CREATE FUNCTION conversation_display_ids_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', 'conversation_display_ids_' || NEW.id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE FUNCTION conversation_display_ids_drop() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP SEQUENCE IF EXISTS %I', 'conversation_display_ids_' || OLD.id);
  RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER accounts_conversation_display_ids_create AFTER INSERT ON "accounts"
  FOR EACH ROW EXECUTE FUNCTION conversation_display_ids_create();
--> statement-breakpoint
CREATE TRIGGER accounts_conversation_display_ids_drop AFTER DELETE ON "accounts"
  FOR EACH ROW EXECUTE FUNCTION conversation_display_ids_drop();
--> statement-breakpoint
DO $$
DECLARE
  account record;
BEGIN
  FOR account IN
    SELECT a.id,
      greatest(
        coalesce((SELECT c.last_display_id FROM conversation_counters c WHERE c.account_id = a.id), 0),
        coalesce((SELECT max(v.display_id) FROM conversations v WHERE v.account_id = a.id), 0)
      ) AS last
    FROM accounts a
  LOOP
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START WITH %s', 'conversation_display_ids_' || account.id,
      account.last + 1);
  END LOOP;
END
$$;
--> statement-breakpoint
DROP TABLE "conversation_counters" CASCADE;
--> statement-breakpoint
-- Tallies get a slot per database session (backend pid mod 8): conversations opening at once in one
-- inbox add to different rows instead of queueing on one row until each transaction commits.
-- Readers already sum rows per key.
ALTER TABLE "conversation_tallies" DROP CONSTRAINT "conversation_tallies_account_id_inbox_id_status_assignee_id_pk";
--> statement-breakpoint
ALTER TABLE "conversation_tallies" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "conversation_tallies" ADD CONSTRAINT "conversation_tallies_account_id_inbox_id_status_assignee_id_slot_pk" PRIMARY KEY("account_id","inbox_id","status","assignee_id","slot");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION conversation_tallies_add_or_remove() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign int := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
  tally_slot smallint := pg_backend_pid() % 8;
BEGIN
  INSERT INTO conversation_tallies AS tally (account_id, inbox_id, status, assignee_id, slot, count)
  SELECT account_id, inbox_id, status, coalesce(assignee_id, 0), tally_slot, sign * count(*)
  FROM changed_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (account_id, inbox_id, status, assignee_id, slot) DO UPDATE SET count = tally.count + excluded.count;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION conversation_tallies_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tally_slot smallint := pg_backend_pid() % 8;
BEGIN
  INSERT INTO conversation_tallies AS tally (account_id, inbox_id, status, assignee_id, slot, count)
  SELECT account_id, inbox_id, status, assignee_id, tally_slot, sum(delta)
  FROM (
    SELECT account_id, inbox_id, status, coalesce(assignee_id, 0) AS assignee_id, -1 AS delta FROM old_rows
    UNION ALL
    SELECT account_id, inbox_id, status, coalesce(assignee_id, 0), 1 FROM new_rows
  ) AS deltas
  GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (account_id, inbox_id, status, assignee_id, slot) DO UPDATE SET count = tally.count + excluded.count;
  RETURN NULL;
END $$;
