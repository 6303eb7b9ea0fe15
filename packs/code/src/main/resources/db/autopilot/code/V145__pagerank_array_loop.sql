-- pagerank-recalculation, faster: the same power iteration as V007 (same rules, same results),
-- computed over a compact adjacency held in plpgsql arrays instead of a temporary table.
--
-- Layout (built each run, nothing kept between runs, so it can never be stale):
--   ids[i]    node id of dense index i (1..N, in id order)
--   off[v]    first position in src of the in-edges of v; off[N + 1] = M + 1
--   src[e]    source index of in-edge e, edges grouped by target (CSR), each (source, target) once
--   outdeg[u] distinct targets of u
-- The edges are read in (target_id, source_id) order, which the index below gives by an
-- index-only scan, so duplicate pairs (one edge of several kinds) are adjacent and dropped in the
-- same pass. Node ids map to indexes through a direct array when the ids are dense enough
-- (bigserial ids with few gaps: one subscript per endpoint), else through a join in SQL.
--
-- One iteration is one pass over plpgsql arrays (expanded float8[]/int[]: a subscript is O(1)):
-- for every node the sum of its sources' contributions r(u)/out(u) in a local variable, the base
-- term, the L1 change, and its contribution (or dangling mass) for the next iteration. On 100k nodes and
-- 1M edges an iteration takes a fraction of what V007's per-node gather subquery took.
--
-- Write-back is one UPDATE from unnest(ids, ranks), no join to a temporary table, skipping rows
-- whose stored score is within tol / N of the new one (so the stored vector stays within tol in
-- L1 of the computed one; a re-run on an unchanged graph writes nothing). The timings of the
-- three phases go to task_state with the rest.

-- (target_id, source_id) replaces (target_id): the same lookups by target, and the in-edges of
-- every node in order without a sort.
CREATE INDEX graph_edges_target_source_idx ON graph_edges (target_id, source_id);
DROP INDEX graph_edges_target_idx;

CREATE OR REPLACE PROCEDURE pagerank_recalculation(
  p_damping  double precision DEFAULT 0.85,
  p_tol      double precision DEFAULT 1e-6,
  p_max_iter int DEFAULT 50)
LANGUAGE plpgsql
SET search_path FROM CURRENT
SET work_mem = '64MB'
SET client_min_messages = warning
AS $$
DECLARE
  n        int;
  m        int := 0;
  it       int := 0;
  delta    double precision;
  dangling double precision;
  base     double precision;
  acc      double precision;
  x        double precision;
  ids      bigint[];
  es       int[];
  et       int[];
  idx      int[];
  off      int[];
  src      int[];
  outdeg   int[];
  r        double precision[];
  c        double precision[];
  cn       double precision[];
  dnext    double precision;
  min_id   bigint;
  span     bigint;
  ps       int := -1;
  pt       int := -1;
  s        int;
  t        int;
  u        int;
  e        int;
  t0       timestamptz := clock_timestamp();
  t1       timestamptz;
  t2       timestamptz;
BEGIN
  IF p_damping <= 0 OR p_damping >= 1 OR p_tol <= 0 OR p_max_iter < 1 THEN
    RAISE EXCEPTION 'pagerank_recalculation: need 0 < damping < 1, tol > 0, max_iter >= 1 (got %, %, %)',
      p_damping, p_tol, p_max_iter;
  END IF;
  SELECT array_agg(id ORDER BY id) INTO ids FROM graph_nodes;
  n := coalesce(cardinality(ids), 0);
  IF n = 0 THEN
    RETURN;
  END IF;
  min_id := ids[1];
  span := ids[n] - min_id + 1;
  IF span <= 4::bigint * n + 1024 THEN
    -- dense ids: endpoints as offsets from the smallest id, mapped to indexes through idx
    SELECT array_agg((target_id - min_id + 1)::int), array_agg((source_id - min_id + 1)::int) INTO et, es
      FROM (SELECT target_id, source_id FROM graph_edges ORDER BY target_id, source_id) o;
    idx := array_fill(0, ARRAY[span::int]);
    FOR u IN 1..n LOOP
      idx[(ids[u] - min_id + 1)::int] := u;
    END LOOP;
  ELSE
    -- sparse ids: the join does the mapping, idx is the identity
    SELECT array_agg(ti), array_agg(si) INTO et, es
      FROM (SELECT t.i AS ti, s.i AS si FROM graph_edges g
              JOIN unnest(ids) WITH ORDINALITY AS s(id, i) ON s.id = g.source_id
              JOIN unnest(ids) WITH ORDINALITY AS t(id, i) ON t.id = g.target_id
             ORDER BY 1, 2) o;
    SELECT array_agg(g) INTO idx FROM generate_series(1, n) g;
  END IF;
  -- in-edge CSR by target, dropping repeated pairs; the input order is checked, not trusted
  off := array_fill(0, ARRAY[n + 1]);
  outdeg := array_fill(0, ARRAY[n]);
  src := array_fill(0, ARRAY[greatest(coalesce(cardinality(es), 0), 1)]);
  FOR e IN 1..coalesce(cardinality(es), 0) LOOP
    t := idx[et[e]];
    s := idx[es[e]];
    IF t = pt AND s = ps THEN
      CONTINUE;
    END IF;
    IF t < pt OR (t = pt AND s < ps) THEN
      RAISE EXCEPTION 'pagerank_recalculation: graph_edges were not read in (target_id, source_id) order';
    END IF;
    m := m + 1;
    src[m] := s;
    off[t] := off[t] + 1;
    outdeg[s] := outdeg[s] + 1;
    pt := t;
    ps := s;
  END LOOP;
  es := NULL;
  et := NULL;
  idx := NULL;
  -- counts to offsets
  s := 1;
  FOR u IN 1..n LOOP
    t := off[u];
    off[u] := s;
    s := s + t;
  END LOOP;
  off[n + 1] := s;
  r := array_fill(1.0::double precision / n, ARRAY[n]);
  c := array_fill(0::double precision, ARRAY[n]);
  dangling := 0;
  FOR u IN 1..n LOOP
    IF outdeg[u] = 0 THEN
      dangling := dangling + r[u];
    ELSE
      c[u] := r[u] / outdeg[u];
    END IF;
  END LOOP;
  cn := c;
  t1 := clock_timestamp();
  LOOP
    it := it + 1;
    base := (1 - p_damping) / n + p_damping * dangling / n;
    delta := 0;
    dnext := 0;
    -- one pass: gather, new rank, L1 change, and the next iteration's contributions and dangling mass
    FOR u IN 1..n LOOP
      acc := 0;
      FOR e IN off[u]..off[u + 1] - 1 LOOP
        acc := acc + c[src[e]];
      END LOOP;
      x := base + p_damping * acc;
      delta := delta + abs(x - r[u]);
      r[u] := x;
      IF outdeg[u] = 0 THEN
        dnext := dnext + x;
      ELSE
        cn[u] := x / outdeg[u];
      END IF;
    END LOOP;
    c := cn;
    dangling := dnext;
    EXIT WHEN delta < p_tol OR it >= p_max_iter;
  END LOOP;
  t2 := clock_timestamp();
  UPDATE graph_nodes g SET pagerank = w.x, updated_at = now()
    FROM unnest(ids, r) AS w(id, x)
   WHERE g.id = w.id AND (g.pagerank IS NULL OR abs(g.pagerank - w.x) > p_tol / n);
  INSERT INTO task_state(task_name, key, value, updated_at)
  VALUES ('pagerank-recalculation', 'last_run',
          jsonb_build_object('nodes', n, 'edges', m, 'iterations', it, 'l1_delta', delta, 'converged', delta < p_tol,
                             'setup_ms', round((extract(epoch FROM t1 - t0) * 1000)::numeric, 1),
                             'iterate_ms', round((extract(epoch FROM t2 - t1) * 1000)::numeric, 1),
                             'write_ms', round((extract(epoch FROM clock_timestamp() - t2) * 1000)::numeric, 1),
                             'ms', round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1))::text,
          now())
  ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
END;
$$;
