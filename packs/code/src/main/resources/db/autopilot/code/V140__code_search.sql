-- Issue 15: full-text retrieval that works on code, and implementation ranked before tests.
--
-- code_chunks.tsv was to_tsvector('simple', content): no stemming, stop words kept, identifiers
-- whole only, path and symbol not searched. It becomes one column written at ingest (the path
-- lives in code_files, which a generated column cannot read) by code_chunk_tsv(...):
--   weight A  the symbol, whole and split into words
--   weight B  the file name without its extension, whole and split
--   weight C  the directories of the path, and the chunk's context (the signature of the
--             declaration a piece of a long declaration belongs to)
--   weight D  the content with the english configuration (stemming, stop words), plus the
--             words of its compound identifiers (camelCase, snake_case, dotted paths): the
--             whole identifier stays a lexeme of its own, so both "LockAndFetch" and
--             "lock and fetch" match.
-- Queries use the same configuration (english) through code_query_lexemes(...).

-- Words of an identifier: camelCase and HTTPServer boundaries, '_', '.', '/', ':', '-', '$'.
CREATE FUNCTION code_split_identifier(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(
           regexp_replace(
             regexp_replace(coalesce(p, ''), '([[:lower:][:digit:]])([[:upper:]])', '\1 \2', 'g'),
             '([[:upper:]]+)([[:upper:]][[:lower:]])', '\1 \2', 'g'),
           '_./:-$#', '       ')
$$;

-- The words of the compound identifiers of a text (the parser keeps them whole).
CREATE FUNCTION code_identifier_words(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT AS $$
  SELECT coalesce(string_agg(code_split_identifier(m[1]), ' '), '')
  FROM regexp_matches(coalesce(p, ''),
    '([A-Za-z_$][A-Za-z0-9_$]*[a-z0-9][A-Z][A-Za-z0-9_$]*|[A-Za-z_$]*[A-Z][A-Z][a-z][A-Za-z0-9_$]*'
    '|[A-Za-z_$][A-Za-z0-9_$]*(?:[.:/][A-Za-z_$][A-Za-z0-9_$]*)+)',
    'g') AS m
$$;

CREATE FUNCTION code_chunk_tsv(p_path text, p_symbol text, p_context text, p_content text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT AS $$
  SELECT setweight(to_tsvector('english', coalesce(p_symbol, '') || ' ' || code_split_identifier(p_symbol)), 'A')
      || setweight(to_tsvector('english', n.name || ' ' || code_split_identifier(n.name)), 'B')
      || setweight(to_tsvector('english', code_split_identifier(n.dirs) || ' ' || coalesce(p_context, '') || ' '
           || code_identifier_words(p_context)), 'C')
      || to_tsvector('english', coalesce(p_content, ''))
      || to_tsvector('english', code_identifier_words(p_content))
  FROM (SELECT regexp_replace(regexp_replace(coalesce(p_path, ''), '^.*/', ''), '\.[^.]*$', '') AS name,
               regexp_replace(coalesce(p_path, ''), '/?[^/]*$', '') AS dirs) n
$$;

-- The normalised lexemes of a query: the english configuration over its words and the words of
-- its identifiers (stop words gone, stems as in the index), most specific first (longest).
CREATE FUNCTION code_query_lexemes(p_query text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT AS $$
  SELECT coalesce(array_agg(lexeme ORDER BY length(lexeme) DESC, lexeme), '{}')
  FROM unnest(to_tsvector('english', coalesce(p_query, '')) || to_tsvector('english', code_identifier_words(p_query)))
$$;

-- What a file is for, by its path: implementation, or a test, example or doc (ranked after
-- implementation by search and filterable).
CREATE FUNCTION code_file_role(p_path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_path ~* '(^|/)(src/test|src/it|tests?|__tests__|spec|specs|testdata|test-?fixtures?)/'
      OR p_path ~ '(_test\.go|_test\.py|_tests?\.rs|\.(test|spec)\.[cm]?[jt]sx?|_spec\.rb|_test\.exs)$'
      OR p_path ~ '(^|/)test_[^/]*\.py$'
      OR p_path ~ '(^|/)[^/]*(Test|Tests|IT|Spec)\.(java|kt|scala|groovy|cs|swift)$' THEN 'test'
    WHEN p_path ~* '(^|/)(examples?|samples?|demos?)/' THEN 'example'
    WHEN p_path ~* '\.(md|markdown|rst|adoc|asciidoc|txt)$' OR p_path ~* '(^|/)docs?/' THEN 'doc'
    ELSE 'impl'
  END
$$;

ALTER TABLE code_files ADD COLUMN role text NOT NULL DEFAULT 'impl'
  CHECK (role IN ('impl', 'test', 'example', 'doc'));
UPDATE code_files SET role = code_file_role(path) WHERE role <> code_file_role(path);

ALTER TABLE code_chunks ADD COLUMN context text;
ALTER TABLE code_chunks DROP COLUMN tsv;
ALTER TABLE code_chunks ADD COLUMN tsv tsvector;
UPDATE code_chunks c SET tsv = code_chunk_tsv(f.path, c.symbol, c.context, c.content)
  FROM code_files f WHERE f.id = c.file_id;
CREATE INDEX code_chunks_tsv_idx ON code_chunks USING gin (tsv) WHERE NOT superseded;
