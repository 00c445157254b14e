-- Agent presence (issue 9): what `account_users.availability` does not say on its own. One row per
-- membership with when the agent was last seen and the channels they chose to work on, and an
-- append-only history of every availability change, read for presence reports and licence peaks.
CREATE TABLE "agent_presence" (
	"account_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"last_seen_at" timestamp with time zone,
	"active_channels" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_presence_account_id_user_id_pk" PRIMARY KEY("account_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "agent_presence_changes" (
	"account_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "agent_presence_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"cause" text NOT NULL,
	"availability" text NOT NULL,
	"previous_availability" text,
	CONSTRAINT "agent_presence_changes_account_id_id_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
CREATE TABLE "agent_invitation_profiles" (
	"account_id" bigint NOT NULL,
	"invitation_id" bigint NOT NULL,
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"profile" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_invitation_profiles_account_id_invitation_id_pk" PRIMARY KEY("account_id","invitation_id")
);
--> statement-breakpoint
ALTER TABLE "agent_presence" ADD CONSTRAINT "agent_presence_membership_fk" FOREIGN KEY ("account_id","user_id") REFERENCES "public"."account_users"("account_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_presence_changes" ADD CONSTRAINT "agent_presence_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_invitation_profiles" ADD CONSTRAINT "agent_invitation_profiles_invitation_fk" FOREIGN KEY ("account_id","invitation_id") REFERENCES "public"."account_invitations"("account_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_presence_changes_account_at_idx" ON "agent_presence_changes" USING btree ("account_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_invitation_profiles_uuid_key" ON "agent_invitation_profiles" USING btree ("uuid");
--> statement-breakpoint
-- Every writer of account_users.availability (the real-time tracker, agent and member updates,
-- invitations joining, memberships ending) gets its history row in its own transaction, without
-- each having to remember it. The cause is `changed` unless the writer names one for its
-- transaction (`parley.presence_cause`, set by the tracker to connected/disconnected). A membership
-- that starts offline is no change; one that ends while not offline goes offline (`left`).
CREATE FUNCTION agent_presence_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.availability <> 'offline' THEN
      INSERT INTO agent_presence_changes (account_id, user_id, cause, availability, previous_availability)
      VALUES (NEW.account_id, NEW.user_id, 'joined', NEW.availability, NULL);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    -- An account being deleted takes its history with it; nothing to add then.
    IF OLD.availability <> 'offline' AND EXISTS (SELECT 1 FROM accounts WHERE id = OLD.account_id) THEN
      INSERT INTO agent_presence_changes (account_id, user_id, cause, availability, previous_availability)
      VALUES (OLD.account_id, OLD.user_id, 'left', 'offline', OLD.availability);
    END IF;
  ELSIF NEW.availability IS DISTINCT FROM OLD.availability THEN
    INSERT INTO agent_presence_changes (account_id, user_id, cause, availability, previous_availability)
    VALUES (
      NEW.account_id,
      NEW.user_id,
      coalesce(nullif(current_setting('parley.presence_cause', true), ''), 'changed'),
      NEW.availability,
      OLD.availability
    );
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER agent_presence_on_membership_change AFTER INSERT OR UPDATE OF availability OR DELETE ON account_users
  FOR EACH ROW EXECUTE FUNCTION agent_presence_record_change();
