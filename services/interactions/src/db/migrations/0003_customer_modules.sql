CREATE TABLE "interactions"."erasures" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erasures_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
