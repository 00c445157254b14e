-- Presence counts shared by every node (issue 12 §4): each node's real-time connections per agent
-- live in the database, and a node's heartbeat says whether they still count, so one node closing
-- its last connection cannot set offline an agent that another node still serves, and a crashed
-- node's connections expire with it.
CREATE TABLE "realtime_nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_connections" (
	"account_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"node_id" text NOT NULL,
	"connections" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_connections_account_id_user_id_node_id_pk" PRIMARY KEY("account_id","user_id","node_id")
);
--> statement-breakpoint
ALTER TABLE "agent_connections" ADD CONSTRAINT "agent_connections_membership_fk" FOREIGN KEY ("account_id","user_id") REFERENCES "public"."account_users"("account_id","user_id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "realtime_nodes_heartbeat_idx" ON "realtime_nodes" USING btree ("heartbeat_at");
--> statement-breakpoint
CREATE INDEX "agent_connections_node_idx" ON "agent_connections" USING btree ("node_id");
