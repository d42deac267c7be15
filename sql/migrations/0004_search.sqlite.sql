-- 0004_search (SQLite): substring search of products in Chinese and other scripts with an FTS5
-- trigram index (rowid = product id) that triggers keep in step with products. It keeps its own
-- copy of the text: LIKE on a trigram index re-checks the matched rows against the text, which
-- a contentless index cannot. Queries of three or more characters use it.
CREATE VIRTUAL TABLE products_fts USING fts5(name, description, tokenize = 'trigram');

INSERT INTO products_fts (rowid, name, description) SELECT id, name, description FROM products;

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, name, description) VALUES (new.id, new.name, new.description);
END;

CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN
    UPDATE products_fts SET name = new.name, description = new.description WHERE rowid = old.id;
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.id;
END;
