-- graph-populate and pagerank-recalculation over graph_nodes / graph_edges.
-- Both see the graph as simple and directed: an edge u -> v ("u depends on v") counts once
-- whatever its kinds.

-- graph-populate ----------------------------------------------------------------------------
-- One set-based pass: dependency_ids (what a node depends on, sorted), dependent_ids (who depends
-- on it, sorted), out_degree and in_degree (their sizes). Only rows whose values change are
-- written, so a re-run on an unchanged graph writes nothing.
CREATE PROCEDURE graph_populate()
LANGUAGE sql
SET search_path FROM CURRENT
SET work_mem = '64MB'
AS $$
  WITH e AS (SELECT DISTINCT source_id, target_id FROM graph_edges),
  outs AS (SELECT source_id AS id, array_agg(target_id ORDER BY target_id) AS ids FROM e GROUP BY source_id),
  ins  AS (SELECT target_id AS id, array_agg(source_id ORDER BY source_id) AS ids FROM e GROUP BY target_id),
  calc AS (
    SELECT n.id, coalesce(o.ids, '{}'::bigint[]) AS deps, coalesce(i.ids, '{}'::bigint[]) AS dependents
      FROM graph_nodes n
      LEFT JOIN outs o ON o.id = n.id
      LEFT JOIN ins i ON i.id = n.id)
  UPDATE graph_nodes g
     SET dependency_ids = c.deps, dependent_ids = c.dependents,
         out_degree = cardinality(c.deps), in_degree = cardinality(c.dependents), updated_at = now()
    FROM calc c
   WHERE g.id = c.id
     AND (g.dependency_ids <> c.deps OR g.dependent_ids <> c.dependents
          OR g.out_degree <> cardinality(c.deps) OR g.in_degree <> cardinality(c.dependents));
$$;

-- pagerank-recalculation --------------------------------------------------------------------
-- Power iteration, set-based on temporary tables (one hash join + aggregate over the edges per
-- iteration): r'(v) = (1 - d)/N + d * (sum over u -> v of r(u)/out(u) + D/N), where D is the
-- rank held by dangling nodes (no out-edges), spread evenly; starts from 1/N, stops when the L1
-- change is below p_tol or after p_max_iter iterations. Scores sum to 1. The result goes to
-- graph_nodes.pagerank (rows whose score did not change are not rewritten); iterations and the
-- final L1 change go to task_state ('pagerank-recalculation', 'last_run').
CREATE PROCEDURE pagerank_recalculation(
  p_damping  double precision DEFAULT 0.85,
  p_tol      double precision DEFAULT 1e-6,
  p_max_iter int DEFAULT 50)
LANGUAGE plpgsql
SET search_path FROM CURRENT
SET work_mem = '64MB'
SET client_min_messages = warning
AS $$
DECLARE
  n        bigint;
  it       int := 0;
  delta    double precision;
  dangling double precision;
  base     double precision;
  t0       timestamptz := clock_timestamp();
BEGIN
  IF p_damping <= 0 OR p_damping >= 1 OR p_tol <= 0 OR p_max_iter < 1 THEN
    RAISE EXCEPTION 'pagerank_recalculation: need 0 < damping < 1, tol > 0, max_iter >= 1 (got %, %, %)',
      p_damping, p_tol, p_max_iter;
  END IF;
  DROP TABLE IF EXISTS pg_temp._pr_node, pg_temp._pr_edge, pg_temp._pr_rank, pg_temp._pr_next;
  CREATE TEMP TABLE _pr_node ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY id))::int AS i, id FROM graph_nodes;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RETURN;
  END IF;
  CREATE TEMP TABLE _pr_edge ON COMMIT DROP AS
    SELECT DISTINCT s.i AS src, t.i AS dst
      FROM graph_edges e JOIN _pr_node s ON s.id = e.source_id JOIN _pr_node t ON t.id = e.target_id;
  ANALYZE _pr_edge;
  CREATE TEMP TABLE _pr_rank ON COMMIT DROP AS
    SELECT p.i, 1.0::double precision / n AS r, coalesce(o.c, 0)::int AS outdeg
      FROM _pr_node p LEFT JOIN (SELECT src, count(*) AS c FROM _pr_edge GROUP BY src) o ON o.src = p.i;
  LOOP
    it := it + 1;
    EXECUTE 'SELECT coalesce(sum(r), 0) FROM _pr_rank WHERE outdeg = 0' INTO dangling;
    base := (1 - p_damping) / n + p_damping * dangling / n;
    EXECUTE 'CREATE TEMP TABLE _pr_next ON COMMIT DROP AS
               SELECT p.i, $1 + $2 * coalesce(s.x, 0) AS r, p.outdeg, p.r AS old_r
                 FROM _pr_rank p
                 LEFT JOIN (SELECT e.dst, sum(q.r / q.outdeg) AS x
                              FROM _pr_edge e JOIN _pr_rank q ON q.i = e.src
                             GROUP BY e.dst) s ON s.dst = p.i'
      USING base, p_damping;
    EXECUTE 'SELECT sum(abs(r - old_r)) FROM _pr_next' INTO delta;
    DROP TABLE _pr_rank;
    ALTER TABLE _pr_next RENAME TO _pr_rank;
    EXIT WHEN delta < p_tol OR it >= p_max_iter;
  END LOOP;
  EXECUTE 'UPDATE graph_nodes g SET pagerank = r.r, updated_at = now()
             FROM _pr_rank r JOIN _pr_node p USING (i)
            WHERE g.id = p.id AND g.pagerank IS DISTINCT FROM r.r';
  INSERT INTO task_state(task_name, key, value, updated_at)
  VALUES ('pagerank-recalculation', 'last_run',
          jsonb_build_object('nodes', n, 'iterations', it, 'l1_delta', delta, 'converged', delta < p_tol,
                             'ms', round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1))::text,
          now())
  ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
  DROP TABLE IF EXISTS pg_temp._pr_node, pg_temp._pr_edge, pg_temp._pr_rank;
END;
$$;
