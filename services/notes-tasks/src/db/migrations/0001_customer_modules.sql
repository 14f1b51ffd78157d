CREATE TABLE "notes_tasks"."customer_access" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"owner_id" varchar(100),
	"team_id" varchar(100),
	"collaborator_ids" text[] DEFAULT '{}' NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "customer_access_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "notes_tasks"."customer_aliases" (
	"tenant_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_aliases_tenant_id_merged_id_pk" PRIMARY KEY("tenant_id","merged_id")
);
--> statement-breakpoint
CREATE TABLE "notes_tasks"."erasures" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erasures_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE INDEX "customer_access_owner_idx" ON "notes_tasks"."customer_access" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "customer_aliases_survivor_idx" ON "notes_tasks"."customer_aliases" USING btree ("tenant_id","survivor_id");