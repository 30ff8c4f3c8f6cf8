"""The example project with Arabic (``ar``) added: the right-to-left fixture of the suite.

The bundled example speaks English and Japanese, and other tests count its
languages and texts, so Arabic lives here, applied to a copy: six guides get
Arabic texts — the trial tour (a walkthrough: modal, then tooltips), the
advanced-search tooltip, the storage banner, the holiday hotspot, the NPS
survey and the onboarding checklist — with a placeholder and Latin product names inside Arabic
sentences, as real translations have them. The other guides have no Arabic and fall back to English.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from guidestudio.core.files import yaml_io
from tests.conftest import EXAMPLE_PROJECT

BACK, NEXT = "السابق", "التالي"
UPGRADE = "رقِّ الآن"

# guide id -> step id (or "variant/step id" where variants word a step differently) -> fields.
# "buttons" and "items" follow the step's own order; an item is (label, description).
ARABIC: dict[str, dict[str, dict[str, Any]]] = {
    "trial-conversion-tour": {
        "welcome": {
            "title": "مرحبًا بك في Acme Cloud يا {{first_name|صديقي}}!",
            "alt": "قائمة الملفات في Acme Cloud مع المجلدات المشتركة ومؤشر مساحة التخزين",
            "buttons": ["ابدأ الجولة", "تخطَّ الجولة"],
        },
        "short/welcome": {"body": "دعنا نعرّفك على الميزتين اللتين تحبهما الفرق أكثر من غيرهما. "
                                  "لن يستغرق ذلك أكثر من دقيقة."},
        "full/welcome": {"body": "دعنا نعرّفك على الميزات الثلاث التي تحبها الفرق أكثر من غيرها. "
                                 "لن يستغرق ذلك أكثر من دقيقة."},
        "reports": {
            "title": "اعرف من يعمل على ماذا",
            "body": "تعرض **التقارير** مساحة التخزين والمشاركة والنشاط في فريقك بأكمله، "
                    "وتُحدَّث كل ساعة.",
            "buttons": [BACK, NEXT],
        },
        "share": {
            "title": "شارك بنقرة واحدة",
            "body": "أرسل رابطًا بدلًا من مرفق. أنت من يحدد من يمكنه العرض أو التعديل، "
                    "ويمكنك إلغاء الوصول في أي وقت.",
            "buttons": [BACK, NEXT],
        },
        "integrations": {
            "title": "اربط الأدوات التي تستخدمها بالفعل",
            "body": "Slack وGoogle Workspace وMicrosoft 365 وأكثر من 40 أداة أخرى. التكاملات جزء "
                    "من خطة **Pro**: رقِّ اشتراكك الآن لتبقى جميع أدواتك متصلة.",
            "buttons": [BACK, UPGRADE, "إنهاء"],
        },
    },
    "premium-feature-tooltip": {
        "advanced-search": {
            "title": "البحث المتقدم ميزة في خطة Business",
            "body": "ابحث عن أي ملف من خلال **محتواه**، بما في ذلك النصوص داخل ملفات PDF "
                    "والمستندات الممسوحة ضوئيًا والصور، وصفِّ النتائج حسب المالك أو النوع أو التاريخ.",
            "buttons": [UPGRADE, "ربما لاحقًا"],
        },
    },
    "storage-almost-full": {
        "a/storage-full": {
            "title": "ستتوقف عمليات الرفع قريبًا",
            "body": "مرحبًا {{first_name|بك}}، لقد استخدمت **{{storage_used_pct|90}}%** من مساحتك "
                    "البالغة 10 GB. عندما تمتلئ، **لن تُحفظ** الملفات الجديدة ولا التغييرات المتزامنة.",
            "buttons": ["الترقية إلى Pro", "ليس الآن"],
        },
        "b/storage-full": {
            "title": "احصل على مساحة أكبر بمئة مرة مع Pro",
            "body": "مرحبًا {{first_name|بك}}، تمنحك خطة Pro مساحة تخزين **1 TB** وسجل إصدارات "
                    "لمدة 180 يومًا ومزامنة ذات أولوية، بدءًا من 8 $ شهريًا.",
            "buttons": ["الترقية إلى Pro", "ليس الآن"],
        },
    },
    "holiday-promo-draft": {
        "holiday-offer": {
            "title": "عرض العطلات: خصم 40% على Pro",
            "body": "رقِّ اشتراكك قبل 5 يناير ووفّر **40%** على سنتك الأولى في Pro.",
            "buttons": ["احصل على العرض", "لا، شكرًا"],
        },
    },
    "nps-survey": {
        "nps": {
            "title": "سؤال سريع واحد",
            "survey": {
                "question": "ما مدى احتمال أن توصي بـ Acme Cloud لصديق أو زميل؟",
                "low_label": "غير مرجّح إطلاقًا",
                "high_label": "مرجّح للغاية",
                "comment_label": "ما السبب الرئيسي لتقييمك؟",
                "thank_you": "شكرًا لك! يقرأ فريق المنتج كل إجابة.",
            },
        },
    },
    "onboarding-checklist": {
        "checklist": {
            "title": "ابدأ العمل في Acme Cloud",
            "body": "خمس خطوات لتجهيز فريقك وبدء العمل. تستغرق كل خطوة بضع دقائق.",
            "buttons": ["خذ الجولة السريعة", "إخفاء القائمة"],
            "items": [
                ("ارفع ملفك الأول", "اسحب أي ملف إلى Acme Cloud وسيُنسخ احتياطيًا على الفور."),
                ("ادعُ زميلًا", "اعملوا على الملفات نفسها دون تبادل النسخ عبر البريد الإلكتروني."),
                ("ثبّت تطبيق سطح المكتب", "أبقِ مجلدًا على حاسوبك متزامنًا تلقائيًا."),
                ("أنشئ مجلدًا مشتركًا", "مكان واحد لكل مشروع، بأذونات يحصل عليها الجميع تلقائيًا."),
                ("اربط أحد التكاملات", "اجلب الملفات من Slack أو Google Workspace أو Microsoft 365."),
            ],
        },
    },
}


def _translate(step: dict[str, Any], texts: dict[str, Any]) -> None:
    for field in ("title", "body"):
        if field in texts:
            step[field]["ar"] = texts[field]
    for field, text in texts.get("survey", {}).items():
        step["survey"][field]["ar"] = text
    if "alt" in texts:
        step["image"]["alt"]["ar"] = texts["alt"]
    if "buttons" in texts:
        for button, label in zip(step["buttons"], texts["buttons"], strict=True):
            button["label"]["ar"] = label
    if "items" in texts:
        for item, (label, description) in zip(step["items"], texts["items"], strict=True):
            item["label"]["ar"] = label
            item["description"]["ar"] = description


def arabic_project(parent: Path) -> Path:
    """A copy of the example under ``parent`` with ``ar`` among its locales and the texts above."""
    root = parent / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    settings = root / "guidestudio.yaml"
    data, _ = yaml_io.load(settings.read_text(encoding="utf-8"))
    data["locales"] = [*data["locales"], "ar"]
    settings.write_text(yaml_io.dump(data), encoding="utf-8")
    for guide_id, steps in ARABIC.items():
        path = root / "guides" / f"{guide_id}.yaml"
        guide, _ = yaml_io.load(path.read_text(encoding="utf-8"))
        for variant in guide["variants"]:
            for step in variant["steps"]:
                for key in (step["id"], f"{variant['key']}/{step['id']}"):
                    if key in steps:
                        _translate(step, steps[key])
        path.write_text(yaml_io.dump(guide), encoding="utf-8")
    return root
