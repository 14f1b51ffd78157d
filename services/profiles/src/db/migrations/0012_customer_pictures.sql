CREATE TABLE "profiles"."customer_pictures" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"content" "bytea" NOT NULL,
	"content_type" varchar(30) NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_pictures_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
