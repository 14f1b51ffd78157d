CREATE TABLE "interactions"."customer_aliases" (
	"tenant_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_aliases_tenant_id_merged_id_pk" PRIMARY KEY("tenant_id","merged_id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."engagement" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"email_opens" integer DEFAULT 0 NOT NULL,
	"email_clicks" integer DEFAULT 0 NOT NULL,
	"replies" integer DEFAULT 0 NOT NULL,
	"website_visits" integer DEFAULT 0 NOT NULL,
	"bookings" integer DEFAULT 0 NOT NULL,
	"completed_bookings" integer DEFAULT 0 NOT NULL,
	"no_shows" integer DEFAULT 0 NOT NULL,
	"last_engaged_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagement_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."ingested_events" (
	"tenant_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingested_events_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."interaction_audit" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"interaction_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"action" varchar(10) NOT NULL,
	"actor_id" varchar(100) NOT NULL,
	"actor_role" varchar(20) NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interaction_audit_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."page_views" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"visitor_id" varchar(64) NOT NULL,
	"customer_id" uuid,
	"url" text NOT NULL,
	"referrer" text,
	"title" varchar(300),
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "page_views_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "interactions"."tracking_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"track_bookings" boolean NOT NULL,
	"track_emails" boolean NOT NULL,
	"track_sms" boolean NOT NULL,
	"track_calls" boolean NOT NULL,
	"track_website_visits" boolean NOT NULL,
	"tracking_key" varchar(100) NOT NULL,
	"ingest_secret" varchar(200),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interactions"."customer_access" ADD COLUMN "collaborator_ids" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions"."interactions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions"."interactions" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions"."timeline_entries" ADD COLUMN "visibility" varchar(10) DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions"."timeline_entries" ADD COLUMN "object_version" integer;--> statement-breakpoint
CREATE INDEX "customer_aliases_survivor_idx" ON "interactions"."customer_aliases" USING btree ("tenant_id","survivor_id");--> statement-breakpoint
CREATE INDEX "interaction_audit_interaction_idx" ON "interactions"."interaction_audit" USING btree ("tenant_id","interaction_id","at");--> statement-breakpoint
CREATE INDEX "page_views_visitor_idx" ON "interactions"."page_views" USING btree ("tenant_id","visitor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "page_views_customer_idx" ON "interactions"."page_views" USING btree ("tenant_id","customer_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_settings_key_idx" ON "interactions"."tracking_settings" USING btree ("tracking_key");--> statement-breakpoint
CREATE INDEX "timeline_object_idx" ON "interactions"."timeline_entries" USING btree ("tenant_id","object_type","object_id");--> statement-breakpoint
COMMENT ON TABLE "interactions"."interaction_audit" IS 'append-only';