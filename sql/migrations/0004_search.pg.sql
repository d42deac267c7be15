-- 0004_search (PostgreSQL): substring search of products with pg_trgm GIN indexes, which serve
-- the same LOWER(column) LIKE '%…%' the queries use. Creating the extension needs a role with
-- CREATE on the database (the owner), as the installation guide says.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_name_trgm ON products USING gin (LOWER(name) gin_trgm_ops);
CREATE INDEX products_description_trgm ON products USING gin (LOWER(description) gin_trgm_ops);
