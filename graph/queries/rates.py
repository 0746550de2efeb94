"""The figures of the closed loop (domain.rates), aggregated in the database.

Every statement takes the scope as ``$prefix`` (a code prefix: '' for everything, 4
digits a city, 6 a county, 9 a street, 12 a community) and ``$unit`` (null, or one
unit id), the caller's read scope as ``$roots``/``$units`` (resolvers.reader), and the
period as ``$from``/``$to`` (epoch ms, [from, to)); ``$now`` comes from domain.clock.
Rows come back grouped by unit (one round trip gives the scope's totals and each
unit's figures for the ranking); the demand ids behind each count are collected.
"""

from __future__ import annotations

from graph.cypher import statement

_CODE = "coalesce({0}.community, {0}.street, {0}.county)"


def _scoped(code: str, unit: str) -> str:
    """Cypher: a place code and a unit id lie in the asked scope and the read scope.

    ``any(x IN $units WHERE x = u.id)``, not ``u.id IN $units``: FalkorDB drops every row
    of ``any(...) OR u.id IN []`` when the code and the unit belong to two nodes."""
    return (
        f"{code} STARTS WITH $prefix AND ($unit IS NULL OR {unit} = $unit) "
        f"AND ($roots IS NULL OR any(root IN $roots WHERE {code} STARTS WITH root) "
        f"OR any(own IN $units WHERE own = {unit}))"
    )


#: each dispatch of the period with what became of it; the rating is the first call-back
#: after its 办结 and before the demand's next dispatch (a 重办 is rated on its own)
DISPATCHES = statement(
    "rates.dispatches",
    f"""
    MATCH (d:Demand)-[:ASSIGNED]->(a:Assignment)
    WHERE a.dispatchedAt >= $from AND a.dispatchedAt < $to AND {_scoped(_CODE.format("a"), "a.unitId")}
    WITH a, d, reduce(n = null, t IN [(d)-[:ASSIGNED]->(o:Assignment) | o.dispatchedAt] |
         CASE WHEN t > a.dispatchedAt AND (n IS NULL OR t < n) THEN t ELSE n END) AS next
    WITH a, [(r:Callback)-[:OF]->(d)
             WHERE a.doneAt IS NOT NULL AND r.at >= a.doneAt AND (next IS NULL OR r.at < next)
             | [r.at, r.rating]] AS callbacks
    WITH a, reduce(f = null, cb IN callbacks |
         CASE WHEN f IS NULL OR cb[0] < f[0] THEN cb ELSE f END) AS first,
         a.doneAt IS NULL AND a.returnedAt IS NULL AS open
    WITH a, open, CASE WHEN first IS NULL THEN null ELSE first[1] END AS rating
    RETURN a.unitId AS unitId,
      collect(a.demandId) AS dispatched,
      collect(CASE WHEN a.acceptedAt IS NOT NULL AND a.acceptedAt <= a.acceptDue
                   THEN a.demandId END) AS response,
      collect(CASE WHEN a.doneAt IS NOT NULL AND a.doneAt <= a.finishDue
                   THEN a.demandId END) AS onTime,
      collect(CASE WHEN a.doneAt IS NOT NULL THEN a.demandId END) AS resolved,
      collect(CASE WHEN rating IS NOT NULL THEN a.demandId END) AS rated,
      collect(CASE WHEN rating = 'SATISFIED' OR rating = 'BASIC' THEN a.demandId END) AS satisfied,
      collect(CASE WHEN open AND ((a.acceptedAt IS NULL AND $now > a.acceptDue)
                                  OR $now > a.finishDue) THEN a.demandId END) AS overdue,
      collect(CASE WHEN open AND a.acceptedAt IS NOT NULL THEN a.demandId END) AS idle
    """,
)

#: 吹哨 of the period: each summoned unit, and whether it reported (报到) by its due
SUMMONS = statement(
    "rates.summons",
    f"""
    MATCH (w:Whistle)-[s:SUMMONS]->(u:Unit)
    WHERE w.at >= $from AND w.at < $to AND {_scoped(_CODE.format("w"), "u.id")}
    RETURN u.id AS unitId, collect(w.demandId) AS summoned,
      collect(CASE WHEN s.respondedAt IS NOT NULL AND s.respondedAt <= s.due
                   THEN w.demandId END) AS responded
    """,
)

#: the liaison units of the scope (联系单位 of its communities), with how many dispatches
#: they accepted in the period and how many projects they led or joined running in it
#: (``$fromDate``/``$toDate``: the period's first and last day, 'YYYY-MM-DD', China time)
LIAISON_UNITS = statement(
    "rates.liaison_units",
    f"""
    MATCH (u:Unit)-[:LIAISES_WITH]->(c:Community)
    WHERE {_scoped("c.code", "u.id")}
    WITH DISTINCT u
    WITH u,
      size([(u)<-[:TO]-(a:Assignment)
            WHERE a.acceptedAt IS NOT NULL AND a.acceptedAt >= $from AND a.acceptedAt < $to
            | a.id]) AS accepted,
      size([(p:Project)-[:LED_BY|JOINED_BY]->(u)
            WHERE p.startDate IS NOT NULL AND p.startDate <= $toDate
              AND (p.endDate IS NULL OR p.endDate >= $fromDate) | p.id]) AS projects
    RETURN u.id AS unitId, accepted, projects
    """,
)

#: the names of units (ranking, exports)
UNIT_NAMES = statement(
    "rates.unit_names",
    "MATCH (u:Unit) WHERE u.id IN $ids RETURN u.id AS id, u.name AS name",
)

#: the overdue dispatches of the period at ``$now`` with what the 逾期清单 shows (no people)
OVERDUE_LIST = statement(
    "rates.overdue_list",
    f"""
    MATCH (d:Demand)-[:ASSIGNED]->(a:Assignment)-[:TO]->(u:Unit)
    WHERE a.dispatchedAt >= $from AND a.dispatchedAt < $to AND {_scoped(_CODE.format("a"), "a.unitId")}
      AND a.doneAt IS NULL AND a.returnedAt IS NULL
      AND ((a.acceptedAt IS NULL AND $now > a.acceptDue) OR $now > a.finishDue)
    MATCH (d)-[:FOR]->(c:Community)
    WITH d, a, u, c,
      CASE WHEN a.acceptedAt IS NULL AND $now > a.acceptDue
                AND (a.acceptDue < a.finishDue OR $now <= a.finishDue)
           THEN 'ACCEPT' ELSE 'FINISH' END AS missed
    RETURN d.id AS demandId, d.title AS title, c.name AS community, c.code AS communityCode,
           u.id AS unitId, u.name AS unit, a.dispatchedAt AS dispatchedAt, missed,
           CASE WHEN missed = 'ACCEPT' THEN a.acceptDue ELSE a.finishDue END AS due
    ORDER BY due, demandId
    """,
)
