-- A consent is written once and never changed (issue 5): the database itself refuses to
-- update or delete one, whatever the application does. Triggers and functions are not part
-- of Prisma's models, so `prisma migrate diff` (the drift check) neither sees nor removes them.
CREATE FUNCTION "consent_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Consent is immutable: a stored consent cannot be %', lower(TG_OP) || 'd'
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "Consent_no_update" BEFORE UPDATE ON "Consent"
    FOR EACH ROW EXECUTE FUNCTION "consent_immutable"();

CREATE TRIGGER "Consent_no_delete" BEFORE DELETE ON "Consent"
    FOR EACH ROW EXECUTE FUNCTION "consent_immutable"();

-- TRUNCATE bypasses row triggers: refuse it too.
CREATE TRIGGER "Consent_no_truncate" BEFORE TRUNCATE ON "Consent"
    FOR EACH STATEMENT EXECUTE FUNCTION "consent_immutable"();
