"""The results queries, built in one place, as SQL in DuckDB's dialect.

Every query reads two tables: ``events`` (the normalised events of ``sources.NORMALISED``,
already de-duplicated and limited to the dates asked for) and ``guides`` (one row per
guide of the project: ``guide_id``, ``goal_event``, ``window_days``, ``experiment_key``).
Because the project's settings live in a table rather than in the text, one query covers
every guide, and the same text is transpiled to a warehouse's dialect
(``warehouse_sql.py``). So the text uses only what means the same on every warehouse, or
what ``core/warehouse/transpile.py`` rewrites faithfully (``t + to_days(n)``): no
arg_min/arg_max (the first row by ``row_number()`` instead), no functions sqlglot does not
know. ``tests/core/results/test_warehouse_sql.py`` runs the transpiled form.

Speed: the costly work is grouping millions of events per user, so it is done once. Two
*bases* reduce the events to what the funnel and the experiment ask of each user:
``guide_users`` (per guide, variant and user: first exposure, first show, which endings,
the locale) and ``goals`` (the goal events, which carry no guide). The funnel and the
experiment are small queries over them; the per-step, per-item, per-day and survey counts
read the events directly, each a filtered scan of a few columns. Locally the bases are
built once as tables (``materialised=True``, see ``analysis.build_bases``); for a
warehouse each query carries the bases it uses as ``WITH`` clauses, so it stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass

GUIDE_EVENTS = ("experiment_viewed", "guide_shown", "step_shown", "step_error",
                "guide_dismissed", "guide_snoozed", "guide_completed", "cta_clicked",
                "survey_response", "checklist_item_done", "goal_reached", "runtime_error")
FUNNEL_EVENTS = ("experiment_viewed", "guide_shown", "guide_completed", "guide_dismissed",
                 "guide_snoozed", "cta_clicked")
BASES = ("guide_users", "goals")
# The only events whose property the results read, per property (the others: every
# event's). ``store`` keeps a property of these events only, for rows held in memory.
PROPERTY_EVENTS: dict[str, tuple[str, ...]] = {
    "experiment": ("experiment_viewed",), "step": ("step_shown", "step_error"),
    "selector": ("step_error",), "reason": ("step_error",), "score": ("survey_response",),
    "item": ("checklist_item_done",)}


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class ResultsQueries:
    """The SQL of every result, over the given table names. ``materialised``: the bases
    (``BASES``) exist as tables of those names, so queries read them instead of
    recomputing them from the events."""

    events: str = "events"
    guides: str = "guides"
    materialised: bool = False

    # --- the bases: one scan of the events each --------------------------------------

    def guide_users(self) -> str:
        """Per guide, variant and user: when the user first entered the guide's experiment
        and was first shown the guide, whether they completed, dismissed, snoozed or
        clicked its CTA, and their locale (the runtime sends the one the product gave it;
        a user whose events carry several, having changed language, counts in the first by
        name: portable, where "the first in time" needs a window over every event)."""
        return f"""
SELECT e.guide_id, e.variant, e.user_id,
       min(e.ts) FILTER (WHERE e.event = 'experiment_viewed'
                         AND (e.experiment IS NULL OR e.experiment = g.experiment_key))
         AS entered_at,
       min(e.ts) FILTER (WHERE e.event = 'guide_shown') AS first_shown,
       bool_or(e.event = 'guide_completed') AS completed,
       bool_or(e.event = 'guide_dismissed') AS dismissed,
       bool_or(e.event = 'guide_snoozed') AS snoozed,
       bool_or(e.event = 'cta_clicked') AS cta_clicked,
       min(e.locale) AS locale
FROM {self.events} e
JOIN {self.guides} g ON g.guide_id = e.guide_id
WHERE e.event IN {_in(FUNNEL_EVENTS)}
GROUP BY e.guide_id, e.variant, e.user_id"""

    def goals(self) -> str:
        """Every event some guide has as its goal (product events: they carry no guide)."""
        return (f"\nSELECT user_id, event, ts FROM {self.events} "
                f"WHERE event IN (SELECT goal_event FROM {self.guides})")

    def bases(self) -> dict[str, str]:
        return {"guide_users": self.guide_users(), "goals": self.goals()}

    def _query(self, uses: tuple[str, ...], ctes: list[tuple[str, str]], select: str) -> str:
        """``select`` with its ``ctes``, after the bases it ``uses`` unless they are tables."""
        parts = [] if self.materialised else [(name, self.bases()[name]) for name in uses]
        parts += ctes
        if not parts:
            return select
        return "WITH " + ",\n".join(f"{name} AS ({sql}\n)" for name, sql in parts) + select

    def _goal_window(self, goal: str, start: str) -> str:
        """A goal event ``goal`` reached at or after ``start`` and within the guide's window
        (no window: any time after), the runtime's rule (docs/runtime.md, Goals)."""
        return (f"{goal}.ts >= {start} AND (g.window_days IS NULL OR "
                f"{goal}.ts <= {start} + to_days(CAST(g.window_days AS INTEGER)))")

    # --- the results ------------------------------------------------------------------

    def funnel(self) -> str:
        """Users per guide, variant and locale at each stage; ``goal`` counts users who
        reached the guide's goal within its window after their first show. Each user counts
        in one locale (``guide_users``; NULL: no event said one), so the locales of a
        variant add up to the variant. (A join rather than a correlated
        EXISTS: warehouses such as Spark refuse correlated range conditions.) The users
        reaching the goal are counted per guide, variant and locale before they meet the
        stages: a join of a few rows each, not of every user's row again."""
        reached = f"""
    SELECT p.guide_id, p.variant, p.locale, p.user_id
    FROM guide_users p
    JOIN {self.guides} g ON g.guide_id = p.guide_id
    JOIN goals o ON o.user_id = p.user_id AND o.event = g.goal_event
    WHERE p.first_shown IS NOT NULL AND {self._goal_window('o', 'p.first_shown')}
    GROUP BY p.guide_id, p.variant, p.locale, p.user_id"""
        goal = """
    SELECT guide_id, variant, locale, count(*) AS users
    FROM reached
    GROUP BY guide_id, variant, locale"""
        stages = """
    SELECT guide_id, variant, locale,
           count(entered_at) AS entered,
           count(first_shown) AS shown,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE dismissed) AS dismissed,
           count(*) FILTER (WHERE snoozed) AS snoozed,
           count(*) FILTER (WHERE cta_clicked) AS cta_clicked
    FROM guide_users
    GROUP BY guide_id, variant, locale"""
        return self._query(("guide_users", "goals"),
                           [("reached", reached), ("goal", goal), ("stages", stages)], """
SELECT s.guide_id, s.variant, s.locale, s.entered, s.shown, s.completed, s.dismissed,
       s.snoozed, s.cta_clicked, coalesce(r.users, 0) AS goal
FROM stages s
LEFT JOIN goal r
  ON r.guide_id = s.guide_id AND r.variant IS NOT DISTINCT FROM s.variant
 AND r.locale IS NOT DISTINCT FROM s.locale
ORDER BY s.guide_id, s.variant, s.locale""")

    def steps(self) -> str:
        """Users who saw each step (0-based index), per guide and variant."""
        return self._users_per("step", "step_shown")

    def checklist_items(self) -> str:
        """Users who ticked each checklist item, per guide and variant."""
        return self._users_per("item", "checklist_item_done")

    def _users_per(self, column: str, event: str) -> str:
        """Distinct users per value of ``column`` of one event, per guide and variant."""
        return f"""
SELECT guide_id, variant, {column}, count(DISTINCT user_id) AS users
FROM {self.events}
WHERE event = '{event}' AND {column} IS NOT NULL
  AND guide_id IN (SELECT guide_id FROM {self.guides})
GROUP BY guide_id, variant, {column}
ORDER BY guide_id, variant, {column}"""

    def step_errors(self) -> str:
        """Anchors missing in production: per guide, variant, step, selector and reason."""
        return f"""
SELECT guide_id, variant, step, selector, reason,
       count(*) AS errors, count(DISTINCT user_id) AS users
FROM {self.events}
WHERE event = 'step_error' AND guide_id IN (SELECT guide_id FROM {self.guides})
GROUP BY guide_id, variant, step, selector, reason
ORDER BY guide_id, errors DESC, selector"""

    def survey_scores(self) -> str:
        """Each user's latest score (0-10) per guide and variant, counted per score."""
        return f"""
WITH latest AS (
    SELECT guide_id, variant, user_id, score,
           row_number() OVER (PARTITION BY guide_id, variant, user_id
                              ORDER BY ts DESC, score DESC) AS nth
    FROM {self.events}
    WHERE event = 'survey_response' AND score BETWEEN 0 AND 10
      AND guide_id IN (SELECT guide_id FROM {self.guides})
)
SELECT guide_id, variant, score, count(*) AS users
FROM latest WHERE nth = 1 GROUP BY guide_id, variant, score
ORDER BY guide_id, variant, score"""

    def daily(self) -> str:
        """Per UTC day: users shown each guide's variant and users who completed it
        (grouped per user and day first: cheaper than two distinct counts)."""
        return f"""
WITH per_day AS (
    SELECT guide_id, variant, CAST(ts AS DATE) AS day, user_id,
           bool_or(event = 'guide_shown') AS shown,
           bool_or(event = 'guide_completed') AS completed
    FROM {self.events}
    WHERE event IN ('guide_shown', 'guide_completed')
      AND guide_id IN (SELECT guide_id FROM {self.guides})
    GROUP BY guide_id, variant, CAST(ts AS DATE), user_id
)
SELECT guide_id, variant, day,
       count(*) FILTER (WHERE shown) AS shown,
       count(*) FILTER (WHERE completed) AS completed
FROM per_day
GROUP BY guide_id, variant, day
ORDER BY guide_id, variant, day"""

    def experiment_arms(self) -> str:
        """Per experiment guide and arm: users exposed (first ``experiment_viewed``; a user
        seen in several arms counts in the first), users converting to the goal within the
        window after exposure, users seen in more than one arm, users shown the guide before
        their exposure (clock skew) and users whose goal came only before exposure."""
        # The first exposure's arm by row_number (no arg_min: see the module's docstring);
        # rows without an exposure sort last on every warehouse, whatever its NULL order.
        ranked = f"""
    SELECT p.guide_id, p.user_id, p.variant, p.entered_at, p.first_shown,
           row_number() OVER (PARTITION BY p.guide_id, p.user_id
                              ORDER BY CASE WHEN p.entered_at IS NULL THEN 1 ELSE 0 END,
                                       p.entered_at, p.variant) AS nth
    FROM guide_users p
    JOIN {self.guides} g ON g.guide_id = p.guide_id AND g.experiment_key IS NOT NULL"""
        exposed = """
    SELECT guide_id, user_id,
           min(variant) FILTER (WHERE nth = 1) AS arm,
           min(entered_at) AS exposed_at,
           min(variant) FILTER (WHERE entered_at IS NOT NULL)
             <> max(variant) FILTER (WHERE entered_at IS NOT NULL) AS several_arms,
           min(first_shown) AS first_shown
    FROM ranked
    GROUP BY guide_id, user_id
    HAVING min(entered_at) IS NOT NULL"""
        outcome = f"""
    SELECT x.guide_id, x.user_id,
           bool_or({self._goal_window('o', 'x.exposed_at')}) AS converted,
           bool_or(o.ts < x.exposed_at) AS goal_before
    FROM exposed x
    JOIN {self.guides} g ON g.guide_id = x.guide_id
    JOIN goals o ON o.user_id = x.user_id AND o.event = g.goal_event
    GROUP BY x.guide_id, x.user_id"""
        return self._query(("guide_users", "goals"),
                           [("ranked", ranked), ("exposed", exposed), ("outcome", outcome)],
                           """
SELECT x.guide_id, x.arm,
       count(*) AS users,
       count(*) FILTER (WHERE o.converted) AS conversions,
       count(*) FILTER (WHERE x.several_arms) AS multi_arm,
       count(*) FILTER (WHERE x.first_shown < x.exposed_at) AS shown_before_exposure,
       count(*) FILTER (WHERE o.goal_before AND NOT o.converted) AS goal_only_before
FROM exposed x
LEFT JOIN outcome o ON o.guide_id = x.guide_id AND o.user_id = x.user_id
GROUP BY x.guide_id, x.arm
ORDER BY x.guide_id, x.arm""")

    def all(self) -> dict[str, str]:
        """Every query by name: what ``guidestudio results --sql`` will print."""
        return {"funnel": self.funnel(), "steps": self.steps(),
                "step_errors": self.step_errors(), "survey_scores": self.survey_scores(),
                "checklist_items": self.checklist_items(), "daily": self.daily(),
                "experiment_arms": self.experiment_arms()}
