"""Compile a project into the bundle the runtime loads (docs/bundle-format.md).

Every step is rendered to HTML here, once, per locale: Markdown to safe HTML
(``markdown_text``), then a Jinja2 template per layout (autoescaped) wraps it in
the markup the runtime binds to. The editor's preview calls ``compile_guide`` on
every keystroke, so template environments are cached per template folder and
Markdown results are memoised; a 4-step, 3-locale guide compiles in a few ms.

Designers may override any built-in template by putting a file of the same name
in ``<project>/templates/``. Those files come from the project, not from us, so
they run in Jinja's sandbox: they can format what they are given but cannot
reach Python internals, and any error (syntax, sandbox violation, undefined
value) becomes a ``CompileError`` with ``file:line`` instead of a crash; so does
one that loops or writes without end (``template_budget``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import posixpath
import re
import threading
import types
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from guidestudio.core import markdown_text
from guidestudio.core.bundle import parallel
from guidestudio.core.bundle.bundle_file import finalize
from guidestudio.core.bundle.template_budget import OverBudget, render_within_budget
from guidestudio.core.bundle.theme_css import BASE_CSS_NAME, theme_css
from guidestudio.core.l10n.direction import language_of, text_direction
from guidestudio.core.l10n.fallback import pick_text
from guidestudio.core.model import Guide, Project, Step, Theme, plain_data, to_dict
from guidestudio.core.problems import Problem
from guidestudio.core.resources import TEMPLATES_DIR
from guidestudio.core.weights import CONTROL, split_shares

FORMAT = "guidestudio-bundle"
FORMAT_VERSION = 1
ENVIRONMENT_STATUSES = {
    "production": ("live",),
    "staging": ("staged", "live"),
    "preview": ("draft", "staged", "live"),
}
PROJECT_TEMPLATES = "templates"
DEFAULT_THEME = "default"
DEFAULT_POSITION = {"banner": "top", "checklist": "bottom-right", "survey": "center",
                    "modal": "center"}
SECONDARY_ACTIONS = frozenset({"back", "dismiss", "snooze"})

# The few words the markup needs that authors do not write (accessible names,
# the survey's submit button, a checklist item's state for screen readers, the
# survey's message when submitted without a score). Unknown languages use English.
UI_STRINGS: dict[str, dict[str, str]] = {
    "en": {"close": "Close", "submit": "Submit", "comment": "Anything else you'd like to tell us?",
           "thanks": "Thank you!", "low": "Not likely", "high": "Very likely",
           "checklist": "Checklist",
           "done": "Done", "todo": "Not done",
           "no_score": "Choose a score before you submit."},
    "de": {"close": "Schließen", "submit": "Senden", "comment": "Möchten Sie uns noch etwas sagen?",
           "thanks": "Vielen Dank!", "low": "Unwahrscheinlich", "high": "Sehr wahrscheinlich",
           "checklist": "Checkliste",
           "done": "Erledigt", "todo": "Offen",
           "no_score": "Bitte wählen Sie vor dem Senden eine Bewertung."},
    "fr": {"close": "Fermer", "submit": "Envoyer", "comment": "Autre chose à nous dire ?",
           "thanks": "Merci !", "low": "Peu probable", "high": "Très probable",
           "checklist": "Liste de contrôle",
           "done": "Terminé", "todo": "À faire",
           "no_score": "Choisissez une note avant d'envoyer."},
    "es": {"close": "Cerrar", "submit": "Enviar", "comment": "¿Algo más que quieras contarnos?",
           "thanks": "¡Gracias!", "low": "Poco probable", "high": "Muy probable",
           "checklist": "Lista de tareas",
           "done": "Hecho", "todo": "Pendiente",
           "no_score": "Elige una puntuación antes de enviar."},
    "it": {"close": "Chiudi", "submit": "Invia", "comment": "Vuoi dirci qualcos'altro?",
           "thanks": "Grazie!", "low": "Poco probabile", "high": "Molto probabile",
           "checklist": "Elenco attività",
           "done": "Fatto", "todo": "Da fare",
           "no_score": "Scegli un punteggio prima di inviare."},
    "pt": {"close": "Fechar", "submit": "Enviar", "comment": "Algo mais que queira nos dizer?",
           "thanks": "Obrigado!", "low": "Pouco provável", "high": "Muito provável",
           "checklist": "Lista de tarefas",
           "done": "Concluído", "todo": "Pendente",
           "no_score": "Escolha uma nota antes de enviar."},
    "nl": {"close": "Sluiten", "submit": "Versturen", "comment": "Wil je ons nog iets vertellen?",
           "thanks": "Bedankt!", "low": "Onwaarschijnlijk", "high": "Zeer waarschijnlijk",
           "checklist": "Checklist",
           "done": "Klaar", "todo": "Nog te doen",
           "no_score": "Kies een score voordat je verstuurt."},
    "ja": {"close": "閉じる", "submit": "送信", "comment": "ほかにご意見があればお聞かせください",
           "thanks": "ありがとうございました！", "low": "まったく思わない", "high": "強くそう思う",
           "checklist": "チェックリスト",
           "done": "完了", "todo": "未完了",
           "no_score": "送信する前にスコアを選んでください。"},
    "zh": {"close": "关闭", "submit": "提交", "comment": "还有什么想告诉我们的吗？",
           "thanks": "谢谢！", "low": "不太可能", "high": "非常可能", "checklist": "清单",
           "done": "已完成", "todo": "未完成",
           "no_score": "提交前请先选择一个分数。"},
    "ko": {"close": "닫기", "submit": "제출", "comment": "더 하고 싶은 말씀이 있나요?",
           "thanks": "감사합니다!", "low": "전혀 아니다", "high": "매우 그렇다",
           "checklist": "체크리스트",
           "done": "완료", "todo": "미완료",
           "no_score": "제출하기 전에 점수를 선택해 주세요."},
    "ar": {"close": "إغلاق", "submit": "إرسال", "comment": "هل هناك شيء آخر تودّ إخبارنا به؟",
           "thanks": "شكرًا لك!", "low": "غير مرجّح", "high": "مرجّح جدًا",
           "checklist": "قائمة المهام",
           "done": "تم", "todo": "لم يتم بعد",
           "no_score": "اختر تقييمًا قبل الإرسال."},
    "he": {"close": "סגירה", "submit": "שליחה", "comment": "יש עוד משהו שתרצו לספר לנו?",
           "thanks": "תודה!", "low": "לא סביר", "high": "סביר מאוד",
           "checklist": "רשימת משימות",
           "done": "בוצע", "todo": "טרם בוצע",
           "no_score": "בחרו ציון לפני השליחה."},
    "fa": {"close": "بستن", "submit": "ارسال", "comment": "چیز دیگری هست که بخواهید به ما بگویید؟",
           "thanks": "سپاسگزاریم!", "low": "بعید است", "high": "بسیار محتمل",
           "checklist": "فهرست کارها",
           "done": "انجام شد", "todo": "انجام نشده",
           "no_score": "پیش از ارسال یک امتیاز انتخاب کنید."},
    "ur": {"close": "بند کریں", "submit": "بھیجیں",
           "comment": "کیا آپ ہمیں کچھ اور بتانا چاہیں گے؟",
           "thanks": "شکریہ!", "low": "امکان نہیں", "high": "بہت زیادہ امکان",
           "checklist": "چیک لسٹ",
           "done": "مکمل", "todo": "نامکمل",
           "no_score": "بھیجنے سے پہلے اسکور منتخب کریں۔"},
}

_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _ns(**values: Any) -> types.SimpleNamespace:
    """Template values are namespaces, not dicts: ``step.items`` must not find ``dict.items``."""
    return types.SimpleNamespace(**values)


class CompileError(Exception):
    """The project cannot be compiled; ``problem`` says where (``file:line: field: message``)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


def _guide_file(guide: Guide) -> str:
    return f"guides/{guide.id}.yaml"


def _fail(guide: Guide, field: str, message: str, code: str) -> CompileError:
    """The compiler's last line of defence: ``validate`` reports each of these facts first,
    under the same ``code``, so the editor, the command line and export name it alike."""
    return CompileError(Problem(_guide_file(guide), None, field, message, code=code))


# --- templates ---------------------------------------------------------------------


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses files whose real path leaves the folder (symlinks)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        if filename is not None:
            real = Path(filename).resolve()
            roots = [Path(p).resolve() for p in self.searchpath]
            if not any(real.is_relative_to(root) for root in roots):
                raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class _GuideSandbox(SandboxedEnvironment):
    """The sandbox, plus a cap on ``*``/``**`` so ``'x' * 10**9`` cannot exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})
    MAX_SIZE = 1_000_000

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 100:
            raise jinja2.sandbox.SecurityError("exponent too large")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > self.MAX_SIZE:
                    raise jinja2.sandbox.SecurityError("result too large")
        return super().call_binop(context, operator, left, right)


class Templates:
    """The templates for one project: built-ins, or built-ins overridden by the project's own."""

    def __init__(self, override_dir: Path | None):
        self.override_dir = override_dir
        options: dict[str, Any] = {
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "undefined": jinja2.StrictUndefined,
            "auto_reload": False,
            "keep_trailing_newline": False,
        }
        builtin = _ContainedLoader(str(TEMPLATES_DIR))
        if override_dir is None:
            self.env: jinja2.Environment = jinja2.Environment(loader=builtin, **options)
        else:
            loader = jinja2.ChoiceLoader([_ContainedLoader(str(override_dir)), builtin])
            self.env = _GuideSandbox(loader=loader, **options)
        self._templates: dict[str, jinja2.Template] = {}
        self.base_css: str | None = None
        css = override_dir / BASE_CSS_NAME if override_dir is not None else None
        if css is not None and css.is_file() and css.resolve().is_relative_to(override_dir):
            try:
                self.base_css = css.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CompileError(Problem(f"{PROJECT_TEMPLATES}/{BASE_CSS_NAME}", None, "",
                                           f"cannot be read: {exc}", code="template")) from exc

    def _where(self, name: str) -> str:
        if self.override_dir is not None and (self.override_dir / name).is_file():
            return f"{PROJECT_TEMPLATES}/{name}"
        return f"guide_templates/{name}"

    def _error(self, name: str, exc: BaseException) -> CompileError:
        file, line = self._where(name), None
        if isinstance(exc, jinja2.TemplateSyntaxError):
            line = exc.lineno
            if exc.name:
                file = self._where(exc.name)
        else:
            # Jinja rewrites tracebacks so template frames carry template lines.
            tb = exc.__traceback__
            while tb is not None:
                filename = tb.tb_frame.f_code.co_filename
                if filename.endswith(".j2"):
                    file, line = self._where(os.path.basename(filename)), tb.tb_lineno
                tb = tb.tb_next
        kind = "not allowed in a template" if isinstance(exc, jinja2.sandbox.SecurityError) \
            else "over budget" if isinstance(exc, OverBudget) else "template error"
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return CompileError(Problem(file, line, "", f"{kind}: {message}", code="template"))

    def render(self, name: str, context: dict[str, Any]) -> str:
        try:
            template = self._templates.get(name)
            if template is None:
                template = self._templates[name] = self.env.get_template(name)
            if self.override_dir is None:  # ours: no budget to watch
                return template.render(context)
            return render_within_budget(template.generate(context))
        except jinja2.TemplateNotFound as exc:
            raise CompileError(Problem(self._where(name), None, "",
                                       f"template {exc.name!r} not found",
                                       code="template")) from None
        except CompileError:
            raise
        except Exception as exc:  # any template fault is the designer's to fix, not a crash
            raise self._error(name, exc) from None


_CACHE: dict[tuple[Any, ...], Templates] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 8


def templates_for(project: Project) -> Templates:
    """Cached per template folder; a changed, added or removed override file means a new entry."""
    override = None
    signature: tuple[Any, ...] = ()
    if project.root is not None:
        folder = Path(project.root) / PROJECT_TEMPLATES
        if folder.is_dir():
            override = folder.resolve()
            entries = []
            for entry in os.scandir(folder):
                if entry.is_file():
                    stat = entry.stat()
                    entries.append((entry.name, stat.st_mtime_ns, stat.st_size))
            signature = tuple(sorted(entries))
    key = (str(override), signature)
    with _CACHE_LOCK:
        templates = _CACHE.get(key)
        if templates is None:
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.pop(next(iter(_CACHE)))
            templates = _CACHE[key] = Templates(override)
        return templates


# --- text --------------------------------------------------------------------------


def _pick(text: dict[str, str] | None, locale: str, default_locale: str) -> str | None:
    """The text for ``locale``: its own, its shorter form's (pt-BR → pt), else the default's."""
    picked = pick_text(text, locale, default_locale)
    return None if picked is None else picked[0]


def _marked_as(result: markdown_text.Rendered, written_in: str, locale: str, direction: str,
               inline: bool) -> markdown_text.Rendered:
    """A text shown in another language than the step's (not translated yet: the default's
    text stands in) says which: its own ``lang``, so a screen reader pronounces it as
    that language, and its own ``dir`` where that differs, so English inside an Arabic
    step keeps its punctuation at its own end (an element with ``dir`` isolates its
    text from the step's direction). ``direction``: the step's (its ``locale``'s)."""
    if language_of(written_in) == language_of(locale):
        return result
    attributes = f' lang="{Markup.escape(written_in)}"'
    own = text_direction(written_in)
    if own != direction:
        attributes += f' dir="{own}"'
    element = "span" if inline else "div"
    return dataclasses.replace(result, html=f"<{element}{attributes}>{result.html}</{element}>")


class _Text:
    """Renders the localized fields of one step for one locale, collecting placeholder names."""

    def __init__(self, locale: str, default_locale: str, tokens: set[str]):
        self.locale = locale
        self.default_locale = default_locale
        self.tokens = tokens
        self.direction = text_direction(locale)

    def get(self, text: dict[str, str] | None, *, inline: bool = True,
            links: bool = True) -> markdown_text.Rendered | None:
        picked = pick_text(text, self.locale, self.default_locale)
        if picked is None:
            return None
        value, written_in = picked
        result = markdown_text.render(value, inline=inline, links=links)
        self.tokens.update(result.tokens)
        return _marked_as(result, written_in, self.locale, self.direction, inline)

    def html(self, text: dict[str, str] | None, *, inline: bool = True, links: bool = True,
             default: str | None = None) -> Markup | None:
        result = self.get(text, inline=inline, links=links)
        if result is None:
            return Markup.escape(default) if default is not None else None
        return Markup(result.html)

    def plain(self, text: dict[str, str] | None) -> str:
        value = _pick(text, self.locale, self.default_locale)
        return "" if value is None else markdown_text.render(value, inline=True).text


def _ui(locale: str) -> dict[str, str]:
    return UI_STRINGS.get(language_of(locale), UI_STRINGS["en"])


# --- pieces of a guide ---------------------------------------------------------------


def _audience(project: Project, guide: Guide) -> dict[str, Any]:
    """Segments inlined: ``{"$and": [segment conditions..., own conditions]}``, ``{}`` for all.

    Empty conditions (which match everyone) are left out; the ``$and`` wrapper is
    kept even around a single clause so the shape never depends on the count.
    """
    audience = guide.audience
    segment_ids = list(audience.segments) if audience else []
    clauses: list[dict[str, Any]] = []
    for i, segment_id in enumerate(segment_ids):
        segment = project.segments.get(segment_id)
        if segment is None:
            raise _fail(guide, f"audience.segments[{i}]", f"unknown segment {segment_id!r}",
                        code="unknown-segment")
        if segment.condition:
            clauses.append(plain_data(segment.condition))
    if audience and audience.conditions:
        clauses.append(plain_data(audience.conditions))
    return {"segments": segment_ids, "condition": {"$and": clauses} if clauses else {}}


def _timezone(guide: Guide, project: Project) -> dt.tzinfo:
    name = (guide.schedule.timezone if guide.schedule else None) or project.timezone
    field = "schedule.timezone" if guide.schedule and guide.schedule.timezone else "timezone"
    if name.upper() == "UTC":
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _fail(guide, field, f"unknown time zone {name!r}",
                    code="unknown-timezone") from exc


def to_utc(value: str, tz: dt.tzinfo, *, end: bool = False) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` for a schedule value.

    Without an offset the value is wall-clock time in ``tz`` (zoneinfo resolves
    DST: an ambiguous time means its first occurrence, a time skipped by a
    spring-forward gap is read with the offset in force before the gap). A
    date-only ``end`` means the end of that day (23:59:59).
    """
    match = _DATETIME_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not an ISO 8601 date or date-time")
    year, month, day, hour, minute, second, offset = match.groups()
    if hour is None:
        clock = (23, 59, 59) if end else (0, 0, 0)
    else:
        clock = (int(hour), int(minute), int(second or 0))
    if offset is None:
        zone = tz
    elif offset == "Z":
        zone = dt.UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    local = dt.datetime(int(year), int(month), int(day), *clock, tzinfo=zone)
    return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _schedule(project: Project, guide: Guide) -> dict[str, str]:
    schedule = guide.schedule
    if schedule is None or not (schedule.start or schedule.end):
        return {}
    tz = _timezone(guide, project)
    out: dict[str, str] = {}
    for key, value in (("start", schedule.start), ("end", schedule.end)):
        if value:
            try:
                out[key] = to_utc(str(value), tz, end=key == "end")
            except (ValueError, OverflowError) as exc:
                raise _fail(guide, f"schedule.{key}", str(exc), code="datetime") from exc
    return out


def _frequency(guide: Guide) -> dict[str, Any]:
    out: dict[str, Any] = to_dict(guide.frequency) if guide.frequency else {}
    out["stop_after"] = list(guide.frequency.stop_after) if guide.frequency else []
    return out


def _sig12(x: float) -> float:
    """Rounded to 12 significant digits, so weights do not carry float noise into bundles."""
    value = float(f"{x:.12g}")
    return int(value) if value.is_integer() else value


def _experiment(guide: Guide, hash_attribute: str) -> dict[str, Any] | None:
    """The experiment as GrowthBook's SDKs take it, self-sufficient: besides the resolved
    variations and weights it names its hash attribute and hash version (the SDKs' names;
    they default to ``id`` and to version 1, our runtime hashes with 2), so passing the
    object to any SDK's ``run()`` assigns what our runtime assigns."""
    exp = guide.experiment
    if exp is None:
        return None
    control = float(exp.control_weight or 0)
    if not 0 <= control < 1:
        raise _fail(guide, "experiment.control_weight",
                    f"must be at least 0 and less than 1, found {exp.control_weight}",
                    code="control-weight")
    if any(v.weight is not None and float(v.weight) <= 0 for v in guide.variants):
        raise _fail(guide, "variants", "every variant weight must be positive",
                    code="variant-weight")
    if control > 0 and any(v.key == CONTROL for v in guide.variants):
        raise _fail(guide, "variants", "a variant may not be called 'control' when the "
                    "experiment has a control group", code="reserved-variant-key")
    shares = split_shares(guide)
    variations, weights = list(shares), list(shares.values())
    coverage = 1 if exp.coverage is None else exp.coverage
    out: dict[str, Any] = {
        "key": exp.key,
        "seed": exp.seed or exp.key,
        "coverage": _sig12(coverage),
        "variations": variations,
        "weights": [_sig12(w) for w in weights],
        "hashAttribute": hash_attribute,
        "hashVersion": 2,
    }
    if control > 0:
        out["control_weight"] = _sig12(control)
    if exp.namespace:
        out["namespace"] = plain_data(exp.namespace)
    return out


def bundle_experiment(guide: Guide, hash_attribute: str) -> dict[str, Any] | None:
    """The guide's ``experiment`` as an export writes it (None without one), for whoever
    needs the split without compiling the steps (the editor's audience sizes).
    Raises ``CompileError`` as the export would."""
    return _experiment(guide, hash_attribute)


def _asset_url(guide: Guide, src: str, asset_base: str, field: str) -> str:
    """``assets/x.png`` -> ``<asset_base>x.png``; only files under the project's assets/."""
    if src.lower().startswith(("https://", "http://")) and markdown_text.is_safe_url(src):
        return src
    path = src.replace("\\", "/")
    path = posixpath.normpath(path[2:] if path.startswith("./") else path)
    if not path.startswith("assets/") or ".." in path.split("/"):
        # Imported here: the editor's start-up imports the compiler, not the validator.
        from guidestudio.core.validate.media import outside_project

        code = "image-location" if outside_project(src) is None else "image-outside"
        raise _fail(guide, field, f"image {src!r} must be a file inside the project's assets/ "
                    "folder", code=code)
    rel = path[len("assets/"):]
    base = asset_base if asset_base.endswith("/") or not asset_base else asset_base + "/"
    return base + urllib.parse.quote(rel, safe="/")


def _step_layout(guide: Guide, step: Step) -> str:
    if guide.kind == "walkthrough":
        return step.layout or ("tooltip" if step.anchor else "modal")
    return guide.kind


def _button_style(button_style: str | None, action: str) -> str:
    if button_style:
        return button_style
    return "secondary" if action in SECONDARY_ACTIONS else "primary"


def _actions(guide: Guide, step: Step, where: str) -> list[dict[str, Any]]:
    actions = []
    for i, button in enumerate(step.buttons):
        action: dict[str, Any] = {"action": button.action}
        if button.action == "url":
            if not button.url or not markdown_text.is_safe_url(button.url):
                raise _fail(guide, f"{where}.buttons[{i}].url",
                            f"{button.url!r} is not allowed: use an https:, http:, mailto: "
                            "or relative URL", code="unsafe-url")
            action["url"] = button.url
            if button.new_tab is not None:
                action["new_tab"] = button.new_tab
        elif button.action == "event" and button.event:
            action["event"] = button.event
        elif button.action == "guide" and button.guide:
            action["guide"] = button.guide
        elif button.action == "snooze" and button.hours is not None:
            action["hours"] = button.hours
        actions.append(action)
    return actions


class _StepCompiler:
    """Compiles the steps of one guide; holds what every step and locale share."""

    def __init__(self, project: Project, guide: Guide, locales: list[str],
                 asset_base: str, templates: Templates):
        self.project = project
        self.guide = guide
        self.locales = locales
        self.default_locale = project.settings.default_locale
        self.asset_base = asset_base
        self.templates = templates
        display = guide.display
        self.close_button = not (display and display.close_button is False)
        self.theme = guide.theme or project.settings.theme or DEFAULT_THEME
        self.guide_ctx = _ns(
            id=guide.id, name=guide.name, kind=guide.kind, theme=self.theme,
            display=_ns(**{name: getattr(display, name, None) for name in
                           ("position", "push", "backdrop", "close_button", "width")}),
        )

    def compile(self, steps: list[Step], where: str) -> list[dict[str, Any]]:
        out = []
        seen: set[str] = set()
        for index, step in enumerate(steps):
            step_where = f"{where}.steps[{index}]"
            step_id = step.id or f"s{index + 1}"
            if step_id in seen:
                raise _fail(self.guide, f"{step_where}.id", f"step id {step_id!r} is used twice",
                            code="duplicate-step-id")
            seen.add(step_id)
            out.append(self._step(step, step_id, index, len(steps), step_where))
        return out

    def _step(self, step: Step, step_id: str, index: int, total: int,
              where: str) -> dict[str, Any]:
        guide = self.guide
        layout = _step_layout(guide, step)
        result: dict[str, Any] = {
            "id": step_id,
            "layout": layout,
            "if_missing": step.if_missing or "skip",
            "actions": _actions(guide, step, where),
        }
        if step.anchor is not None:
            result["anchor"] = to_dict(step.anchor)
        if step.wait_seconds is not None:
            result["wait_seconds"] = step.wait_seconds
        if step.items:
            result["items"] = [
                {k: v for k, v in (("id", item.id), ("event", item.event),
                                   ("due_days", item.due_days)) if v is not None}
                for item in step.items
            ]
        if step.survey is not None:
            result["survey"] = {"type": step.survey.type or "nps"}
        image_src = None
        if step.image is not None:
            image_src = _asset_url(guide, step.image.src, self.asset_base, f"{where}.image.src")
        for i, item in enumerate(step.items):
            if item.url and not markdown_text.is_safe_url(item.url):
                raise _fail(guide, f"{where}.items[{i}].url",
                            f"{item.url!r} is not allowed: use an https:, http:, mailto: or "
                            "relative URL", code="unsafe-url")
        tokens: set[str] = set()
        progress = (_ns(current=index + 1, total=total)
                    if guide.kind == "walkthrough" and total > 1 else None)
        prefix = f"{guide.id}-{step_id}"
        ids = _ns(title=f"gs-title-{prefix}", body=f"gs-body-{prefix}",
                  question=f"gs-question-{prefix}", comment=f"gs-comment-{prefix}")
        position = None
        if layout in DEFAULT_POSITION:
            position = (guide.display.position if guide.display else None) \
                or DEFAULT_POSITION[layout]
        html = {}
        for locale in self.locales:
            text = _Text(locale, self.default_locale, tokens)
            context = self._context(step, step_id, index, layout, text, image_src)
            context.update(progress=progress, ids=ids, position=position)
            html[locale] = self.templates.render(f"{layout}.html.j2", context)
        result["html"] = html
        result["tokens"] = sorted(tokens)
        return result

    def _context(self, step: Step, step_id: str, index: int, layout: str, text: _Text,
                 image_src: str | None) -> dict[str, Any]:
        locale = text.locale
        ui = _ui(locale)
        title = text.get(step.title, inline=True)
        body = text.get(step.body, inline=False)
        label = (title.text if title else "") or (body.text[:120] if body else "") \
            or self.guide.name
        survey = None
        if step.survey is not None:
            s = step.survey
            survey = _ns(
                type=s.type or "nps",
                question=text.html(s.question),
                low_label=text.html(s.low_label, links=False, default=ui["low"]),
                high_label=text.html(s.high_label, links=False, default=ui["high"]),
                # the end scores' accessible names carry the scale's words ("0, Not likely")
                low_text=text.plain(s.low_label) or ui["low"],
                high_text=text.plain(s.high_label) or ui["high"],
                comment_label=text.html(s.comment_label, links=False, default=ui["comment"]),
                thank_you=text.html(s.thank_you, default=ui["thanks"]),
            )
        step_ctx = _ns(
            id=step_id,
            index=index,
            number=index + 1,
            layout=layout,
            title=Markup(title.html) if title else None,
            title_text=title.text if title else "",
            body=Markup(body.html) if body else None,
            body_text=body.text if body else "",
            image=None if image_src is None or step.image is None else _ns(
                src=image_src, alt=text.plain(step.image.alt)),
            buttons=[
                _ns(index=i, action=b.action, style=_button_style(b.style, b.action),
                    label=text.html(b.label, links=False) or Markup(""),
                    label_text=text.plain(b.label))
                for i, b in enumerate(step.buttons)
            ],
            items=[
                _ns(id=item.id, url=item.url, due_days=item.due_days,
                    label=text.html(item.label, links=not item.url) or Markup(""),
                    description=text.html(item.description, links=not item.url))
                for item in step.items
            ],
            survey=survey,
            anchor=_ns(**to_dict(step.anchor)) if step.anchor else None,
        )
        return {
            "guide": self.guide_ctx,
            "step": step_ctx,
            "locale": locale,
            "dir": text.direction,
            "ui": _ns(**ui),
            "label": label,
            "close_button": self.close_button,
        }


# --- public API ----------------------------------------------------------------------


def _export_locales(project: Project, locales: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(locales)) if locales else list(project.settings.locales)
    return chosen or [project.settings.default_locale]


def _asset_base(project: Project, asset_base: str | None) -> str:
    base = asset_base if asset_base is not None else (project.settings.asset_base_url or "assets/")
    if not markdown_text.is_safe_url(base):
        raise CompileError(Problem("guidestudio.yaml", None, "asset_base_url",
                                   f"{base!r} is not an http(s) or relative URL",
                                   code="unsafe-url"))
    return base


def compile_guide(project: Project, guide: Guide, *, locales: Iterable[str] | None = None,
                  asset_base: str | None = None) -> dict[str, Any]:
    """One bundle guide object (the live preview calls this on every keystroke)."""
    chosen = _export_locales(project, locales)
    compiler = _StepCompiler(project, guide, chosen, _asset_base(project, asset_base),
                             templates_for(project))
    if not guide.variants:
        raise _fail(guide, "variants", "the guide has no variants", code="no-variants")
    variants = []
    keys: set[str] = set()
    for i, variant in enumerate(guide.variants):
        if variant.key in keys:
            raise _fail(guide, f"variants[{i}].key", f"variant key {variant.key!r} is used twice",
                        code="duplicate-variant")
        keys.add(variant.key)
        if not variant.steps:
            raise _fail(guide, f"variants[{i}].steps", f"variant {variant.key!r} has no steps",
                        code="no-steps")
        weight = 1 if variant.weight is None else variant.weight
        if weight <= 0:
            raise _fail(guide, f"variants[{i}].weight", "must be positive",
                        code="variant-weight")
        variants.append({"key": variant.key, "weight": weight,
                         "steps": compiler.compile(variant.steps, f"variants[{i}]")})
    out: dict[str, Any] = {
        "id": guide.id,
        "name": guide.name,
        "kind": guide.kind,
        "status": guide.status,
        "priority": guide.priority or 0,
        "theme": compiler.theme,
        "exempt_from_throttle": bool(guide.exempt_from_throttle),
        "audience": _audience(project, guide),
        "trigger": to_dict(guide.trigger) if guide.trigger else {"on": "page_view"},
        "schedule": _schedule(project, guide),
        "frequency": _frequency(guide),
        "display": to_dict(guide.display) if guide.display else {},
        "variants": variants,
    }
    if guide.goal is not None:
        out["goal"] = to_dict(guide.goal)
    experiment = _experiment(guide, project.hash_attribute)
    if experiment is not None:
        out["experiment"] = experiment
    return out


def select_guides(project: Project, environment: str, include_drafts: bool) -> list[Guide]:
    """The guides an environment ships, sorted by id; archived guides never ship."""
    statuses = set(ENVIRONMENT_STATUSES[environment])
    if include_drafts:
        statuses.add("draft")
    return [project.guides[gid] for gid in sorted(project.guides)
            if project.guides[gid].status in statuses]


def _timestamp(value: str | dt.datetime | int | float) -> str:
    if isinstance(value, str):
        if not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", value):
            raise ValueError(f"generated_at {value!r} is not YYYY-MM-DDTHH:MM:SSZ")
        return value
    if isinstance(value, (int, float)):
        value = dt.datetime.fromtimestamp(value, dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def bundle_context(project: Project) -> dict[str, Any]:
    """``{"hash_attribute", "throttle"}``: what eligibility reads from a bundle besides its
    guides (``eligibility.decide``'s ``context``), as the bundle carries them.

    One function, so the preview decides with exactly the values an export writes.
    """
    settings = project.settings
    return {"hash_attribute": project.hash_attribute,
            "throttle": to_dict(settings.throttle) if settings.throttle else {}}


def compile_project(
    project: Project,
    **options: Any,
) -> dict[str, Any]:
    """The whole bundle, with its checksum (see ``compile_payload`` for the options)."""
    return finalize(compile_payload(project, **options))


def compile_payload(
    project: Project,
    *,
    environment: str = "production",
    locales: Iterable[str] | None = None,
    include_drafts: bool = False,
    generated_at: str | dt.datetime | int | float | None = None,
    asset_base: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """The bundle without its checksum. ``include_drafts`` makes it a ``preview`` bundle.

    Separate from ``compile_project`` so an export can let go of the project
    before serialising 60 MB of bundle. ``workers > 1`` compiles guides in
    forked processes (CLI only; see core/bundle/parallel.py).
    """
    if environment not in ENVIRONMENT_STATUSES:
        raise ValueError(f"unknown environment {environment!r}; use production or staging")
    if include_drafts:
        environment = "preview"
    chosen = _export_locales(project, locales)
    settings = project.settings
    default_locale = settings.default_locale if settings.default_locale in chosen else chosen[0]
    guides = select_guides(project, environment, include_drafts)
    templates_for(project)  # load templates once, before any worker forks

    def one(guide: Guide) -> dict[str, Any]:
        return compile_guide(project, guide, locales=chosen, asset_base=asset_base)

    compiled = parallel.map_in_order(one, guides, workers=workers, progress=progress)
    markdown_text.clear_cache()  # before serialising: the bundle's peak memory is next
    templates = templates_for(project)
    themes: dict[str, Theme] = dict(project.themes)
    context = bundle_context(project)
    payload: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "project": {"id": settings.id, "name": settings.name},
        "environment": environment,
        "default_locale": default_locale,
        "locales": chosen,
        "hash_attribute": context["hash_attribute"],
        "timezone": project.timezone,
        "throttle": context["throttle"],
        "theme_css": theme_css(themes, settings.theme or DEFAULT_THEME, base=templates.base_css),
        "guides": compiled,
    }
    if generated_at is not None:
        payload["generated_at"] = _timestamp(generated_at)
    return payload
