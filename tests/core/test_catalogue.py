"""The attribute catalogue: in the project file, proposed from what the project uses, checked.

Real files on disk throughout: the catalogue is loaded by the project loader,
checked by the real project schema, written by the canonical writer, and its
warnings come from the validator with the file, line and field an author fixes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from guidestudio.core import catalogue
from guidestudio.core.edits import InsertItem, SetValue
from guidestudio.core.files import yaml_io
from guidestudio.core.files.project_io import load_project, save_project
from guidestudio.core.model import Attribute, Settings, from_dict, to_dict
from guidestudio.core.resources import EXAMPLE_PROJECT
from guidestudio.core.validate import validate_project
from guidestudio.core.validate.incremental import ProjectValidator
from tests.core.test_validate import (
    SETTINGS,
    expect,
    guide,
    line_of,
    make,
    only,
    run,
    segment,
)
from tests.core.test_validate_incremental import apply, load, up_to_date

CATALOGUE = SETTINGS + """\
attributes:
- key: plan
  label: Plan
  type: string
  allowed: [free, trial, pro, business]
- key: storage_used_pct
  label: Storage used
  type: number
  unit: '%'
  description: How full the account's storage is.
"""


def copy_example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE_PROJECT, tmp_path / "acme-cloud"))


def without_catalogue(root: Path) -> None:
    """Take the catalogue out of a project's settings file, as a project made before it."""
    path = root / "guidestudio.yaml"
    data = yaml_io.load_data(path.read_text(encoding="utf-8"))
    del data["attributes"]
    path.write_text(yaml_io.dump(data), encoding="utf-8")


# --- in the project file ------------------------------------------------------------------


def test_the_catalogue_loads_in_file_order_and_an_edit_keeps_the_authors_lines(tmp_path: Path) -> None:
    root = make(tmp_path, {})
    (root / "guidestudio.yaml").write_text(CATALOGUE, encoding="utf-8")
    result = load_project(root)
    assert result.problems == []
    attributes = result.project.settings.attributes
    assert [a.key for a in attributes] == ["plan", "storage_used_pct"]
    assert attributes[0] == Attribute("plan", "Plan", "string", None,
                                      ["free", "trial", "pro", "business"])
    assert attributes[1].unit == "%"

    # A new entry is written in the schema's key order, among the author's entries, whose
    # lines stay as written (the one-line list of plans included).
    attributes.insert(1, Attribute("role", "Role", description="Owner, admin or member.",
                                   allowed=["owner", "admin"], type="string"))
    assert save_project(result.project, result.files) == ["guidestudio.yaml"]
    text = (root / "guidestudio.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "attributes:\n"
        "- key: plan\n  label: Plan\n  type: string\n  allowed: [free, trial, pro, business]\n"
        "- key: role\n  label: Role\n  type: string\n  allowed:\n  - owner\n  - admin\n"
        "  description: Owner, admin or member.\n"
        "- key: storage_used_pct\n  label: Storage used\n  type: number\n  unit: '%'\n"
        "  description: How full the account's storage is.\n")
    again = load_project(root)
    assert again.project.settings == result.project.settings
    assert save_project(again.project, again.files) == []  # nothing changed: nothing written


def test_a_comment_elsewhere_survives_a_catalogue_edit(tmp_path: Path) -> None:
    """Like every settings edit, changing the catalogue rewrites guidestudio.yaml only."""
    root = make(tmp_path, {"guides/g.yaml": "# written by hand\n" + guide()})
    result = load_project(root)
    result.project.settings.attributes.append(Attribute("plan", "Plan"))
    assert save_project(result.project, result.files, only={("settings",)}) == [
        "guidestudio.yaml"]
    assert (root / "guides" / "g.yaml").read_text(encoding="utf-8").startswith(
        "# written by hand\n")


def test_a_settings_file_without_a_catalogue_stays_as_it_was(tmp_path: Path) -> None:
    root = make(tmp_path, {})
    result = load_project(root)
    assert result.project.settings.attributes == []
    assert "attributes" not in to_dict(result.project.settings)
    assert from_dict(Settings, to_dict(result.project.settings)) == result.project.settings


def test_the_schema_refuses_what_no_catalogue_can_mean(tmp_path: Path) -> None:
    root = make(tmp_path, {})
    bad = SETTINGS + ("attributes:\n- label: No key\n- key: plan\n  type: text\n"
                      "- key: tier\n  allowed: [gold, gold]\n")
    (root / "guidestudio.yaml").write_text(bad, encoding="utf-8")
    problems = load_project(root).problems
    fields = sorted(p.field for p in problems)
    assert fields == ["attributes[0]", "attributes[1].type", "attributes[2].allowed"], \
        [p.format() for p in problems]
    assert all(p.code == "schema" and p.line is not None for p in problems)


def test_the_example_ships_a_complete_catalogue_with_labels() -> None:
    result = load_project(EXAMPLE_PROJECT)
    project = result.project
    assert catalogue.propose(project) == []  # every attribute and event it uses is described
    keys = [a.key for a in project.settings.attributes]
    assert len(keys) == len(set(keys))
    for entry in project.settings.attributes:
        assert entry.label and entry.type, entry
        assert entry.label != entry.key
    plan = catalogue.find(project.settings.attributes, "plan")
    assert plan is not None and plan.allowed == ["free", "trial", "pro", "business"]
    assert catalogue.label_of(project, "events.login.days_since") == "Days since last login"
    assert [p for p in validate_project(project, result.files)
            if p.file == "guidestudio.yaml"] == []


# --- proposed from the profiles and the events guides use ------------------------------------


def test_a_project_without_a_catalogue_gets_one_proposed(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    without_catalogue(root)
    project = load_project(root).project
    proposed = {a.key: a for a in catalogue.propose(project)}

    assert list(proposed)[:4] == ["id", "first_name", "email", "plan"]  # profile order
    assert proposed["plan"] == Attribute("plan", "Plan", "string", None,
                                         ["free", "trial", "pro", "business"])
    assert proposed["role"].allowed == ["owner", "member", "admin", "viewer"]
    assert proposed["country"].allowed == []  # 9 countries in 12 profiles: not a closed list
    assert proposed["first_name"].allowed == []
    assert proposed["storage_used_pct"].type == "number"
    assert proposed["storage_used_pct"].unit == "%"
    assert proposed["app_version"].type == "version"
    assert proposed["account.age_days"].label == "Account age days"

    # Every event the profiles record, and those the guides wait for, with its four counters.
    events = catalogue.events_used(project)
    assert events[:5] == ["login", "file_uploaded", "file_shared", "teammate_invited",
                          "automation_created"]
    assert "integration_connected" in events  # a checklist item's event, in no profile
    assert "plan_upgraded" in events  # a goal
    assert "book_call" in events  # a trigger
    assert "winback_offer_claimed" not in events  # only sent by a button
    days = proposed["events.login.days_since"]
    assert (days.label, days.type, days.unit) == ("Days since last login", "number", "days")
    assert proposed["events.integration_connected.last_7d"].label == (
        "Integration connected: times in the last 7 days")
    assert {f"events.{e}.{f}" for e in events for f in catalogue.BEHAVIOUR_LABELS} <= set(
        proposed)


def test_proposing_keeps_what_the_author_wrote(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    without_catalogue(root)
    project = load_project(root).project
    project.settings.attributes = [Attribute("plan", "Subscription", "string", allowed=["x"])]
    proposed = catalogue.propose(project)
    assert "plan" not in {a.key for a in proposed}
    assert catalogue.label_of(project, "plan") == "Subscription"


def test_the_rule_builder_sees_catalogue_entries_first_then_the_profiles(tmp_path: Path) -> None:
    project = load_project(EXAMPLE_PROJECT).project
    attributes = [Attribute("plan", "Plan", "string", None, ["free", "pro"]),
                  Attribute("events.login.days_since", "Days since last login", "number",
                            "days"),
                  Attribute("plan", "Again")]
    infos = catalogue.attribute_infos(attributes, project.profiles)
    assert list(infos)[:2] == ["plan", "events.login.days_since"]
    assert infos["plan"].label == "Plan" and infos["plan"].allowed == ("free", "pro")
    assert infos["plan"].examples  # the profiles' examples stay
    assert infos["events.login.days_since"].type == "behaviour"  # counted, like the builder's
    assert infos["events.login.days_since"].unit == "days"
    assert infos["storage_used_pct"].label == ""  # from the profiles only: no label
    assert infos["storage_used_pct"].type == "number"


# --- warnings --------------------------------------------------------------------------------


def test_catalogue_mistakes_are_warnings_on_the_entry(tmp_path: Path) -> None:
    root = make(tmp_path, {"guidestudio.yaml": SETTINGS + """\
attributes:
- key: plan
  type: string
  allowed: [free, 10]
- key: seats
  type: number
  allowed: [1, 5]
- key: plan
  label: Plan again
- key: country
  type: string
  unit: km
- key: events.login.count
  type: string
"""})
    problems = run(root)
    expect(only(problems, "catalogue-value-type"), root, "guidestudio.yaml", "[free, 10]",
           "attributes[0].allowed[1]", "plan is text", "'10'", severity="warning")
    again = line_of(root, "guidestudio.yaml", "label: Plan again") - 1  # its "- key: plan"
    expect(only(problems, "catalogue-duplicate"), root, "guidestudio.yaml", again,
           "attributes[2].key", "'plan' is described twice", "entry 1", severity="warning")
    expect(only(problems, "catalogue-unit"), root, "guidestudio.yaml", "unit: km",
           "attributes[3].unit", "only shown next to numbers", severity="warning")
    counter_line = line_of(root, "guidestudio.yaml", "key: events.login.count") + 1
    expect(only(problems, "catalogue-counter-type"), root, "guidestudio.yaml", counter_line,
           "attributes[4].type", "always a number", severity="warning")
    assert not any(p.is_error for p in problems)


def test_a_rule_with_a_value_outside_the_allowed_ones_is_a_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "guidestudio.yaml": CATALOGUE,
        "guides/g.yaml": guide("""\
audience:
  segments: [s]
  conditions:
    $or:
    - plan: Pro
    - plan: {$in: [trial, gold]}
    - plan: {$nini: [FREE]}
    - storage_used_pct: {$gte: 90}
""" + "\n" + """\
variants:
  - key: a
    steps:
      - title: {en: Hello}
"""),
        "segments/s.yaml": segment("s", "{plan: {$ne: bussiness}}"),
    })
    problems = [p for p in run(root) if p.code == "not-allowed-value"]
    by_field = {p.field: p for p in problems}
    assert sorted(by_field) == ["audience.conditions.$or[0].plan",
                                "audience.conditions.$or[1].plan.$in[1]",
                                "condition.plan.$ne"], [p.format() for p in problems]
    pro = by_field["audience.conditions.$or[0].plan"]
    expect(pro, root, "guides/g.yaml", "- plan: Pro", pro.field,
           "Plan (plan) is compared with 'Pro'", "free, trial, pro, business",
           "check the spelling", severity="warning")
    expect(by_field["condition.plan.$ne"], root, "segments/s.yaml", 4, "condition.plan.$ne",
           "'bussiness'", severity="warning")


def test_the_editor_rechecks_rules_when_the_catalogue_changes(tmp_path: Path) -> None:
    example = load(copy_example(tmp_path))
    project = example.project
    validator = ProjectValidator(project, example.files)
    assert "not-allowed-value" not in [p.code for p in up_to_date(validator, example)]
    plan = next(i for i, a in enumerate(project.settings.attributes) if a.key == "plan")
    # The product stops sending "business": guides and segments naming it are now doubtful.
    apply(validator, project, SetValue(("settings", "attributes", plan, "allowed"),
                                       ["free", "trial", "pro"]))
    found = [p for p in up_to_date(validator, example) if p.code == "not-allowed-value"]
    assert {p.file for p in found} == {"guides/premium-feature-tooltip.yaml"}
    apply(validator, project, InsertItem(("settings", "attributes", plan, "allowed"), 3,
                                         "business"))
    assert "not-allowed-value" not in [p.code for p in up_to_date(validator, example)]
