-- Modjo's bulk user creation invites an email that already has a Parley user; the licence, language
-- and teams it asked for wait here until the invitation is accepted.
CREATE TABLE "call_user_invitations" (
	"account_id" bigint NOT NULL,
	"invitation_id" bigint NOT NULL,
	"has_license" boolean DEFAULT false NOT NULL,
	"language" text,
	"team_ids" bigint[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_user_invitations_account_id_invitation_id_pk" PRIMARY KEY("account_id","invitation_id")
);
--> statement-breakpoint
ALTER TABLE "call_user_invitations" ADD CONSTRAINT "call_user_invitations_invitation_fk" FOREIGN KEY ("account_id","invitation_id") REFERENCES "public"."account_invitations"("account_id","id") ON DELETE cascade ON UPDATE no action;
