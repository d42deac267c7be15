-- 0004_search (SQLite): substring search of products in Chinese and other scripts with an FTS5
-- trigram index (rowid = product id) over name and description joined by a newline (which no
-- query can contain, so nothing matches across the two). Triggers keep it in step with
-- products. It keeps its own copy of the text: LIKE on a trigram index re-checks the matched
-- rows against the text, which a contentless index cannot. Queries of three or more characters
-- use it, reading matches in rowid order so that a page stops early.
CREATE VIRTUAL TABLE products_fts USING fts5(text, tokenize = 'trigram');

INSERT INTO products_fts (rowid, text) SELECT id, name || char(10) || description FROM products;

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, text) VALUES (new.id, new.name || char(10) || new.description);
END;

CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN
    UPDATE products_fts SET text = new.name || char(10) || new.description WHERE rowid = old.id;
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.id;
END;
