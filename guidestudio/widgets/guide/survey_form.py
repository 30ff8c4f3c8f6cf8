"""An NPS survey: the question, the two ends of the 0–10 scale, a comment prompt, thanks.

The survey type is fixed (Net Promoter Score) so it is stated, not offered as
a choice; every text is translatable like any other. Typing the question of a
step that has no survey yet creates it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from guidestudio.widgets.kit.form_kit import GuideContext, form_layout, inner_path, note
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit

FIELDS = (
    ("question", "&Question", True,
     "The question people answer on a 0–10 scale, e.g. 'How likely are you to recommend us "
     "to a friend?'"),
    ("low_label", "&0 means", False, "The words under 0, e.g. 'Not at all likely'."),
    ("high_label", "&10 means", False, "The words under 10, e.g. 'Extremely likely'."),
    ("comment_label", "&Comment prompt", False,
     "The question above the optional comment box, e.g. 'What's the main reason for your "
     "score?'"),
    ("thank_you", "&Thank you", False, "What people see after answering."),
)
#: Texts the product shows without links (the compiler renders them with ``links=False``).
NO_LINKS = frozenset({"low_label", "high_label", "comment_label"})


class SurveyForm(QWidget):
    """The survey texts of the selected step."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        form = form_layout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.kind_note = note("Net Promoter Score: people pick a score from 0 to 10, then may "
                              "add a comment.", self)
        form.addRow(self.kind_note)
        self.texts: dict[str, LocalizedTextEdit] = {}
        for name, label, required, tooltip in FIELDS:
            edit = LocalizedTextEdit(ctx.document, lambda n=name: ctx.step_path("survey", n),
                                     required=required, tooltip=tooltip, label=label,
                                     links=name not in NO_LINKS, parent=self)
            form.addRow(edit)
            self.texts[name] = edit
            ctx.marks.watch(edit, lambda n=name: inner_path(ctx.step_path("survey", n)))

    def refresh(self) -> None:
        for edit in self.texts.values():
            edit.refresh()

