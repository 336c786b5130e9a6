#!/bin/sh
# Runs once, when the Postgres container initialises its data directory (docker-entrypoint-initdb.d).
# Creates the two roles Harbourwatch expects: the owner (migrations, tools; bypasses row-level
# security) and the application role (cannot bypass it). Passwords come from compose.yaml.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE harbourwatch_owner LOGIN BYPASSRLS PASSWORD '${OWNER_DB_PASSWORD}';
CREATE ROLE harbourwatch_app LOGIN NOBYPASSRLS PASSWORD '${APP_DB_PASSWORD}';
ALTER DATABASE "$POSTGRES_DB" OWNER TO harbourwatch_owner;
ALTER SCHEMA public OWNER TO harbourwatch_owner;
SQL
