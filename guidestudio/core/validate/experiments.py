"""Rules for A/B tests: variants, weights, control group, coverage, namespace, keys."""

from __future__ import annotations

import math

from guidestudio.core.model import Guide
from guidestudio.core.problems import Problem
from guidestudio.core.validate.reporting import Context, Reporter
from guidestudio.core.validate.values import is_number


def check_experiment(guide: Guide, r: Reporter) -> None:
    variants = guide.variants
    if not variants:
        r.add(("variants",), "no-variants",
              "the guide has no variants, so there is nothing to show; add a variant with "
              "at least one step")
    seen: dict[str, int] = {}
    for i, variant in enumerate(variants):
        if variant.key in seen:
            r.add(("variants", i, "key"), "duplicate-variant",
                  f"variant key {variant.key!r} is used twice (also variants[{seen[variant.key]}]);"
                  f" give each variant its own key")
        else:
            seen[variant.key] = i
        weight = variant.weight
        if weight is not None and not (is_number(weight) and math.isfinite(weight)
                                       and weight > 0):
            r.add(("variants", i, "weight"), "variant-weight",
                  f"variant weight must be a positive number, found {weight!r}; use e.g. 1 "
                  f"for an even split")
    experiment = guide.experiment
    if experiment is None:
        if len(variants) > 1:
            r.warn(("variants",), "variants-without-experiment",
                   f"the guide has {len(variants)} variants but no experiment, so only the "
                   f"first variant ({variants[0].key!r}) is ever shown; add an experiment to "
                   f"split users between them or remove the extra variants")
        return
    control = experiment.control_weight
    control_ok = control is None or (is_number(control) and 0 <= control < 1)
    if not control_ok:
        r.add(("experiment", "control_weight"), "control-weight",
              f"control_weight must be at least 0 and less than 1 (it is the share of users "
              f"who see nothing), found {control!r}; 0.1 means 10%")
    coverage = experiment.coverage
    if coverage is not None:
        if not (is_number(coverage) and 0 <= coverage <= 1):
            r.add(("experiment", "coverage"), "coverage",
                  f"coverage must be between 0 and 1 (the share of users in the experiment), "
                  f"found {coverage!r}")
        elif coverage == 0:
            r.warn(("experiment", "coverage"), "coverage-zero",
                   "coverage is 0, so nobody is in the experiment and nobody sees this guide; "
                   "set it to 1 to include everyone")
    has_control = control_ok and bool(control)
    if has_control:
        for i, variant in enumerate(variants):
            if variant.key.lower() == "control":
                r.add(("variants", i, "key"), "reserved-variant-key",
                      "the variant key 'control' is reserved for the control group (users "
                      "who see nothing) when control_weight is above 0; rename this variant")
    if not variants:
        r.add(("experiment",), "experiment-no-variants",
              "the experiment has no variants to test; add at least one variant")
    elif len(variants) == 1 and not has_control:
        r.add(("experiment",), "experiment-single-arm",
              "the experiment has one variant and no control group: there is nothing to "
              "compare, and GrowthBook's SDKs call such an experiment invalid and put nobody "
              "in it; add a variant or a control_weight, or remove the experiment")
    namespace = experiment.namespace
    if (isinstance(namespace, list) and len(namespace) == 3 and is_number(namespace[1])
            and is_number(namespace[2]) and namespace[1] >= namespace[2]):
        r.add(("experiment", "namespace"), "namespace-range",
              f"the namespace range starts at {namespace[1]} and ends at {namespace[2]}, so "
              f"it holds no users; the start must be less than the end")


def check_experiment_keys(ctx: Context, out: list[Problem]) -> None:
    owners: dict[tuple[str, str], str] = {}
    for guide_id in sorted(ctx.project.guides):
        experiment = ctx.project.guides[guide_id].experiment
        if experiment is None:
            continue
        key = (experiment.key, experiment.seed or experiment.key)
        if key in owners:
            r = Reporter(ctx.files, ctx.files.file_of("guides", guide_id), out)
            r.warn(("experiment", "key"), "duplicate-experiment",
                   f"experiment key {experiment.key!r} is also used by guide {owners[key]!r}; "
                   f"their results would be mixed up in analytics — give each experiment "
                   f"its own key")
        else:
            owners[key] = guide_id

