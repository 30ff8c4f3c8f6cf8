"""Bundle experiments are portable: GrowthBook's own JS SDK, given each exported experiment
object as it is, assigns every user what our runtime and our Python evaluator assign (issue 17,
item 8).

Held out, the SDK agreed with us only when the caller added ``hashVersion: 2`` and the hash
attribute by hand; taken literally it agreed on about half the users. Each experiment now
carries both, and the edges follow the SDK or are refused at validation: a falsy id (``0``,
``false``, ``""``) is no id; a dotted ``hash_attribute`` is refused (the SDK reads the name
literally); a one-variant experiment without control is refused (the SDK calls it invalid).

The experiments are the example project's and generated ones (unequal weights, coverage,
namespaces, custom seeds, a control group, another hash attribute), compiled by the real
compiler; the users are thousands of generated ids plus every awkward kind of value. The SDK
(``@growthbook/growthbook``, pinned in tools/js/package.json) and the runtime run in Node
(tests/js/growthbook-assign.mjs); ``make test`` installs tools/js before pytest runs.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from typing import Any

import pytest

from guidestudio.core import eligibility
from guidestudio.core.bundle.compiler import bundle_context, compile_project
from guidestudio.core.bundle.export import export_project
from guidestudio.core.model import Button, Experiment, Guide, Project, Settings, Step, Variant
from guidestudio.core.simulate.simulation import Simulation
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT

NODE = shutil.which("node")
SCRIPT = REPO_ROOT / "tests" / "js" / "growthbook-assign.mjs"
SDK = REPO_ROOT / "tools" / "js" / "node_modules" / "@growthbook" / "growthbook"
USERS_PER_EXPERIMENT = 2_500

# Values a product might pass as the id: the SDK takes the falsy ones as no id, and hashes the
# others as JavaScript concatenates them (seed + value).
EDGE_IDS: list[Any] = [0, False, "", None, "0", "false", " ", True, 1, -1, 1.5, 1e21, 2**53 + 2,
                       "é", "日本語", "😀", "\ud83d", "a.b", [], [1, 2], {}, "null", "undefined"]


def _users(count: int, attribute: str, rng: random.Random) -> list[dict[str, Any]]:
    kinds = [lambda: f"user-{rng.randrange(10**6)}", lambda: str(rng.randrange(10**9)),
             lambda: rng.randrange(1, 10**7), lambda: f"{rng.getrandbits(64):016x}@acme.example",
             lambda: "".join(rng.choice("aé日😀-_ 0") for _ in range(rng.randrange(1, 12)))]
    users: list[dict[str, Any]] = [{attribute: rng.choice(kinds)()} for _ in range(count)]
    users += [{attribute: value} for value in EDGE_IDS]
    users += [{}, {"id": "only-id", "other": 1}]  # missing attribute
    return users


def _step() -> Step:
    return Step(title={"en": "Hello"}, buttons=[Button({"en": "OK"}, "dismiss")])


def _variants(weights: list[float | None]) -> list[Variant]:
    return [Variant(f"v{i}", [_step()], weight=w) for i, w in enumerate(weights)]


def _generated(rng: random.Random) -> list[Guide]:
    """Experiments of every shape the editor can make."""
    specs: list[tuple[Experiment, list[float | None]]] = [
        (Experiment(key="even"), [None, None]),
        (Experiment(key="three-even"), [None, None, None]),
        (Experiment(key="unequal"), [1, 3]),
        (Experiment(key="unequal-4"), [0.1, 0.2, 0.3, 0.4]),
        (Experiment(key="coverage", coverage=0.4), [1, 1]),
        (Experiment(key="coverage-unequal", coverage=0.75), [5, 1, 2]),
        (Experiment(key="namespace", namespace=["checkout", 0, 0.5]), [1, 1]),
        (Experiment(key="namespace-tail", namespace=["checkout", 0.5, 1], coverage=0.9), [2, 1]),
        (Experiment(key="seeded", seed="a custom seed"), [1, 1]),
        (Experiment(key="seeded-unicode", seed="種😀"), [1, 2]),
        (Experiment(key="control", control_weight=0.1), [None, None]),
        (Experiment(key="control-one", control_weight=0.5), [None]),
        (Experiment(key="control-all", control_weight=0.25, coverage=0.6,
                    namespace=["ns", 0.2, 0.9], seed="s"), [3, 1]),
    ]
    for n in range(12):  # random mixes
        count = rng.randrange(1, 5)
        control = rng.choice([None, 0, rng.uniform(0.01, 0.9)])
        if count == 1 and not control:
            control = 0.3
        start = rng.uniform(0, 0.9)
        specs.append((Experiment(
            key=f"random-{n}", seed=rng.choice([None, f"seed-{n}"]),
            coverage=rng.choice([None, 1, rng.uniform(0, 1)]), control_weight=control,
            namespace=rng.choice([None, [f"ns{n % 3}", start, rng.uniform(start + 0.01, 1)]])),
            [rng.choice([None, rng.uniform(0.1, 10)]) for _ in range(count)]))
    return [Guide(id=f"g{i:02d}", name=exp.key, kind="modal", status="live", experiment=exp,
                  variants=_variants(weights)) for i, (exp, weights) in enumerate(specs)]


def _sdk_and_runtime(guides: list[dict[str, Any]], context: dict[str, Any],
                     users: list[dict[str, Any]]) -> list[list[list[int]]]:
    assert NODE is not None, "Node.js is required for the tests (see README)"
    assert SDK.is_dir(), "GrowthBook's SDK is missing: run `make runtime-check` (npm ci in tools/js)"
    out = subprocess.run([NODE, str(SCRIPT)], input=json.dumps(
        {"guides": guides, "context": context, "users": users}).encode("utf-8"),
        capture_output=True, check=True, timeout=120)
    return json.loads(out.stdout)


def _python(guide: dict[str, Any], user: dict[str, Any], context: dict[str, Any]) -> int:
    decided = eligibility.assignment(guide, user, context)
    variations = guide["experiment"]["variations"]
    if isinstance(decided, str):
        return variations.index(decided)
    assert decided is not None
    return 0 if decided.reason == "control" else -1


def _agree(bundle: dict[str, Any], users: list[dict[str, Any]]) -> None:
    guides = [g for g in bundle["guides"] if "experiment" in g]
    context = {"hash_attribute": bundle["hash_attribute"], "throttle": {}}
    # what the Python side sees is what came through JSON, as the SDK and the runtime see it
    users = json.loads(json.dumps(users))
    answers = _sdk_and_runtime(guides, context, users)
    for guide, rows in zip(guides, answers, strict=True):
        key = guide["experiment"]["key"]
        enrolled = 0
        for user, (sdk, runtime) in zip(users, rows, strict=True):
            python = _python(guide, user, context)
            assert sdk == runtime == python, (key, user, {"sdk": sdk, "runtime": runtime,
                                                         "python": python})
            enrolled += sdk >= 0
        assert enrolled, f"{key}: nobody enrolled, so the comparison says little"


@pytest.fixture(scope="module")
def example_bundle() -> dict[str, Any]:
    result = export_project(EXAMPLE_PROJECT, None, environment="staging", include_drafts=True)
    assert result.ok and result.bundle is not None, result.problems
    return result.bundle


def test_every_example_experiment_assigns_every_user_as_growthbooks_sdk(
        example_bundle: dict[str, Any]) -> None:
    experiments = [g["experiment"] for g in example_bundle["guides"] if "experiment" in g]
    assert len(experiments) >= 2
    assert all(e["hashVersion"] == 2 and e["hashAttribute"] == "id" for e in experiments)
    _agree(example_bundle, _users(USERS_PER_EXPERIMENT * 4, "id", random.Random(17)))


@pytest.mark.parametrize("hash_attribute", ["id", "account_id"])
def test_generated_experiments_assign_every_user_as_growthbooks_sdk(hash_attribute: str) -> None:
    rng = random.Random(f"growthbook-{hash_attribute}")
    project = Project(settings=Settings(id="acme", name="Acme", locales=["en"],
                                        hash_attribute=hash_attribute),
                      guides={g.id: g for g in _generated(rng)})
    bundle = compile_project(project)
    assert all(g["experiment"]["hashAttribute"] == hash_attribute for g in bundle["guides"])
    assert bundle_context(project)["hash_attribute"] == hash_attribute
    _agree(bundle, _users(USERS_PER_EXPERIMENT, hash_attribute, rng))


def test_simulate_counts_a_falsy_id_as_no_id(example_bundle: dict[str, Any]) -> None:
    """``guidestudio simulate`` follows the SDK too: id 0, false and "" are not enrolled."""
    guide = next(g for g in example_bundle["guides"] if g.get("experiment"))
    bare = dict(guide, audience={"segments": [], "condition": {}}, schedule={})
    bundle = dict(example_bundle, guides=[bare])
    simulation = Simulation(bundle, 0)
    simulation.add([{"id": 0}, {"id": False}, {"id": ""}, {"id": "user-1"}, {"id": 7}],
                   [None] * 5)
    result = simulation.plans[0].result
    assert result.audience == 5
    assert sum(result.variations.values()) == 2
    assert simulation.plans[0].reasons.get("no_hash_attribute") == 3


def test_the_sdk_is_the_pinned_one() -> None:
    pinned = json.loads((REPO_ROOT / "tools" / "js" / "package.json").read_text("utf-8"))
    installed = json.loads((SDK / "package.json").read_text("utf-8"))
    assert installed["version"] == pinned["devDependencies"]["@growthbook/growthbook"]
