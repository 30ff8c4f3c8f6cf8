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
"""

from __future__ import annotations

from dataclasses import dataclass

GUIDE_EVENTS = ("experiment_viewed", "guide_shown", "step_shown", "step_error",
                "guide_dismissed", "guide_snoozed", "guide_completed", "cta_clicked",
                "survey_response", "checklist_item_done", "goal_reached", "runtime_error")


@dataclass(frozen=True)
class ResultsQueries:
    """The SQL of every result, over the given table names."""

    events: str = "events"
    guides: str = "guides"

    def _goal_window(self, goal: str, start: str) -> str:
        """A goal event ``goal`` reached at or after ``start`` and within the guide's window
        (no window: any time after), the runtime's rule (docs/runtime.md, Goals)."""
        return (f"{goal}.ts >= {start} AND (g.window_days IS NULL OR "
                f"{goal}.ts <= {start} + to_days(CAST(g.window_days AS INTEGER)))")

    def _goals(self) -> str:
        return (f"SELECT user_id, event, ts FROM {self.events} "
                f"WHERE event IN (SELECT goal_event FROM {self.guides})")

    def funnel(self) -> str:
        """Users per guide and variant at each stage; ``goal`` counts users who reached the
        guide's goal within its window after their first show."""
        return f"""
WITH per_user AS (
    SELECT guide_id, variant, user_id,
           bool_or(event = 'experiment_viewed') AS entered,
           min(ts) FILTER (WHERE event = 'guide_shown') AS first_shown,
           bool_or(event = 'guide_completed') AS completed,
           bool_or(event = 'guide_dismissed') AS dismissed,
           bool_or(event = 'guide_snoozed') AS snoozed,
           bool_or(event = 'cta_clicked') AS cta_clicked
    FROM {self.events}
    WHERE guide_id IN (SELECT guide_id FROM {self.guides})
      AND event IN ('experiment_viewed', 'guide_shown', 'guide_completed', 'guide_dismissed',
                    'guide_snoozed', 'cta_clicked')
    GROUP BY guide_id, variant, user_id
), goals AS ({self._goals()}),
reached AS (
    SELECT DISTINCT p.guide_id, p.variant, p.user_id
    FROM per_user p
    JOIN {self.guides} g ON g.guide_id = p.guide_id
    JOIN goals o ON o.user_id = p.user_id AND o.event = g.goal_event
    WHERE p.first_shown IS NOT NULL AND {self._goal_window('o', 'p.first_shown')}
)
SELECT p.guide_id, p.variant,
       count(*) FILTER (WHERE p.entered) AS entered,
       count(p.first_shown) AS shown,
       count(*) FILTER (WHERE p.completed) AS completed,
       count(*) FILTER (WHERE p.dismissed) AS dismissed,
       count(*) FILTER (WHERE p.snoozed) AS snoozed,
       count(*) FILTER (WHERE p.cta_clicked) AS cta_clicked,
       count(r.user_id) AS goal
FROM per_user p
LEFT JOIN reached r
  ON r.guide_id = p.guide_id AND r.variant IS NOT DISTINCT FROM p.variant
 AND r.user_id = p.user_id
GROUP BY p.guide_id, p.variant
ORDER BY p.guide_id, p.variant"""

    def steps(self) -> str:
        """Users who saw each step (0-based index), per guide and variant."""
        return self._users_per("step", "step_shown")

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

    def daily(self) -> str:
        """Per UTC day: users shown each guide's variant and users who completed it."""
        return f"""
SELECT guide_id, variant, CAST(ts AS DATE) AS day,
       count(DISTINCT user_id) FILTER (WHERE event = 'guide_shown') AS shown,
       count(DISTINCT user_id) FILTER (WHERE event = 'guide_completed') AS completed
FROM {self.events}
WHERE event IN ('guide_shown', 'guide_completed')
  AND guide_id IN (SELECT guide_id FROM {self.guides})
GROUP BY guide_id, variant, day
ORDER BY guide_id, variant, day"""

    def experiment_arms(self) -> str:
        """Per experiment guide and arm: users exposed (first ``experiment_viewed``; a user
        seen in several arms counts in the first), users converting to the goal within the
        window after exposure, users seen in more than one arm, users shown the guide before
        their exposure (clock skew) and users whose goal came only before exposure."""
        return f"""
WITH seen AS (
    SELECT e.guide_id, e.user_id, e.event, e.variant, e.ts,
           row_number() OVER (PARTITION BY e.guide_id, e.user_id, e.event
                              ORDER BY e.ts, e.variant) AS nth
    FROM {self.events} e
    JOIN {self.guides} g ON g.guide_id = e.guide_id AND g.experiment_key IS NOT NULL
    WHERE e.event IN ('experiment_viewed', 'guide_shown')
      AND (e.experiment IS NULL OR e.experiment = g.experiment_key
           OR e.event = 'guide_shown')
), exposed AS (
    SELECT guide_id, user_id,
           min(variant) FILTER (WHERE event = 'experiment_viewed' AND nth = 1) AS arm,
           min(ts) FILTER (WHERE event = 'experiment_viewed') AS exposed_at,
           count(DISTINCT variant) FILTER (WHERE event = 'experiment_viewed') AS arms,
           min(ts) FILTER (WHERE event = 'guide_shown') AS first_shown
    FROM seen
    GROUP BY guide_id, user_id
), goals AS ({self._goals()}),
outcome AS (
    SELECT x.guide_id, x.user_id,
           bool_or({self._goal_window('o', 'x.exposed_at')}) AS converted,
           bool_or(o.ts < x.exposed_at) AS goal_before
    FROM exposed x
    JOIN {self.guides} g ON g.guide_id = x.guide_id
    JOIN goals o ON o.user_id = x.user_id AND o.event = g.goal_event
    WHERE x.exposed_at IS NOT NULL
    GROUP BY x.guide_id, x.user_id
)
SELECT x.guide_id, x.arm,
       count(*) AS users,
       count(*) FILTER (WHERE o.converted) AS conversions,
       count(*) FILTER (WHERE x.arms > 1) AS multi_arm,
       count(*) FILTER (WHERE x.first_shown < x.exposed_at) AS shown_before_exposure,
       count(*) FILTER (WHERE o.goal_before AND NOT o.converted) AS goal_only_before
FROM exposed x
LEFT JOIN outcome o ON o.guide_id = x.guide_id AND o.user_id = x.user_id
WHERE x.exposed_at IS NOT NULL
GROUP BY x.guide_id, x.arm
ORDER BY x.guide_id, x.arm"""

    def all(self) -> dict[str, str]:
        """Every query by name: what ``guidestudio results --sql`` will print."""
        return {"funnel": self.funnel(), "steps": self.steps(),
                "step_errors": self.step_errors(), "survey_scores": self.survey_scores(),
                "checklist_items": self.checklist_items(), "daily": self.daily(),
                "experiment_arms": self.experiment_arms()}
