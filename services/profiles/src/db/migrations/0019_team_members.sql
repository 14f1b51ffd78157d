CREATE TABLE "profiles"."team_members" (
	"tenant_id" uuid NOT NULL,
	"member_id" varchar(255) NOT NULL,
	"active" boolean NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "team_members_tenant_id_member_id_pk" PRIMARY KEY("tenant_id","member_id")
);
