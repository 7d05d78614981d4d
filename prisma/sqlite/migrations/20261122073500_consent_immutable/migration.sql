-- A consent is written once and never changed (issue 5): the database itself refuses to
-- update or delete one, whatever the application does. Triggers are not part of Prisma's
-- models, so `prisma migrate diff` (the drift check) neither sees nor removes them.
CREATE TRIGGER "Consent_no_update" BEFORE UPDATE ON "Consent"
BEGIN
    SELECT RAISE(ABORT, 'Consent is immutable: a stored consent cannot be updated');
END;

CREATE TRIGGER "Consent_no_delete" BEFORE DELETE ON "Consent"
BEGIN
    SELECT RAISE(ABORT, 'Consent is immutable: a stored consent cannot be deleted');
END;

-- NOTE: a later migration that redefines "Consent" (Prisma's copy, DROP TABLE, rename on
-- SQLite) drops these triggers with the old table: it must create them again.
