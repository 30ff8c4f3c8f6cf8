"""What the guide forms call a button's action, a trigger, a missing element's fallback and
a "stop once" outcome: one place for the forms that offer them and for the sentences
(``core/describe/problem_words``) that name them, so a problem says what the form shows.
Plain data: importing it costs nothing at start-up."""

from __future__ import annotations

ACTION_LABELS = {
    "next": "Go to the next step", "back": "Go back a step", "dismiss": "Close the guide",
    "snooze": "Remind me later", "complete": "Finish (counts as completed)",
    "url": "Open a web page", "event": "Tell the product (send an event)",
    "guide": "Start another guide",
}
TRIGGER_LABELS = {"page_view": "When a page opens", "click": "When the user clicks an element",
                  "event": "When the product reports an event",
                  "delay": "A while after a page opens"}
IF_MISSING_LABELS = {"skip": "Skip this step", "wait": "Wait for it to appear",
                     "modal": "Show the step as a modal instead"}
OUTCOME_LABELS = {"dismissed": "they close it", "completed": "they complete it",
                  "cta_clicked": "they click a call-to-action button",
                  "snoozed": "they ask to be reminded later",
                  "goal_reached": "the goal is reached"}
