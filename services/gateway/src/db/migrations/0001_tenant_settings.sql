CREATE TABLE "gateway"."tenant_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"locale" varchar(35) NOT NULL,
	"timezone" varchar(64) NOT NULL,
	"currency" varchar(3) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" varchar(255) NOT NULL
);
