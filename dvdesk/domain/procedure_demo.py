"""Sample dossiers that pass the procedure's rules (for dvdesk demo and tests).

Steps in the order the definition asks, each dated on or after what it needs,
within the deadlines (ceremony within 30 working days, recognition after the
12 months of probation), the chi bộ meeting after the 18th birthday, one
official introducer beside the Đoàn resolution, votes of at least 2/3, an
education level and a helping member. Pure: the caller passes the generator.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dvdesk.domain.dates import add_months
from dvdesk.domain.procedure import DEFINITION, Definition, Stage, StepRecord, StepState
from dvdesk.domain.procedure_dossier import Dossier, Introducer, PartyStatus, Vote

HELPERS = ("Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Văn Minh", "Phạm Thị Thu", "Hoàng Văn Nam")

# How many of the applicable steps are done to reach each stage (chi bộ cơ sở).
STAGE_STEPS = {
    Stage.INTRODUCED: "source",
    Stage.COURSE: "course",
    Stage.DOSSIER: "opinions",
    Stage.ADMISSION: "branch_resolution",
    Stage.PROBATION: "new_member_course",
    Stage.FULL: "recognition_decision",
}


def _votes(rng: random.Random, code: str, kind: str) -> Vote:
    total = rng.randint(8, 40) if kind == "branch" else rng.randint(5, 15)
    least = -(-2 * total // 3)  # ceil(2/3 of the total)
    in_favour = rng.randint(least, total)
    present = rng.randint(in_favour, total) if kind == "branch" else None
    return Vote(code, in_favour, total, present)


DOSSIER = ("introduction", "union_resolution", "opinions")  # 3-, 4-, 5-KNĐ: valid 12 months

# The issuer's suffix of each numbered document (a certificate has its own series).
ISSUERS = {
    "CN-NTVĐ": "GCN/TTCT",
    "4-KNĐ": "NQ/ĐTN",
    "6-KNĐ": "NQ/CB",
    "13-KNĐ": "NQ/CB",
    "7-KNĐ": "NQ/ĐUBP",
    "14-KNĐ": "NQ/ĐUBP",
    "8-KNĐ": "NQ/ĐU",
    "15-KNĐ": "NQ/ĐU",
    "9-KNĐ": "QĐ/ĐU",
    "16-KNĐ": "QĐ/ĐU",
}


def _number(rng: random.Random, form: str) -> str:
    """A real-looking document number for `form`, "" for papers that carry none."""
    suffix = ISSUERS.get(form)
    if suffix is None:
        return ""
    if form == "CN-NTVĐ":
        return f"{rng.randint(1, 2500):04d}-{suffix}"
    return f"{rng.randint(1, 120):02d}-{suffix}"


def sample_dossier(
    rng: random.Random,
    stage: Stage,
    dob: date,
    today: date,
    definition: Definition = DEFINITION,
) -> tuple[list[StepRecord], Dossier]:
    """The steps and dossier data of one candidate who reached `stage`."""
    steps = [s for s in definition.steps_for(definition.default_position) if not s.outcome]
    codes = [s.code for s in steps]
    last = codes.index(STAGE_STEPS.get(stage, "source"))
    if stage is Stage.FULL:
        days_back = rng.randint(420, 700)  # past the 12 months of probation
    elif stage is Stage.PROBATION:
        days_back = rng.randint(90, 300)
    else:
        days_back = rng.randint(30, 300)
    day = today - timedelta(days=days_back)
    adult = add_months(dob, 18 * 12)
    out: list[StepRecord] = []
    ceremony: date | None = None
    for i, s in enumerate(steps[: last + 1]):
        gap = rng.randint(3, 20) if i else 0
        if s.code == "branch_resolution":
            day += timedelta(days=gap)
            if day < adult:
                # The chi bộ considers only from the 18th birthday: waiting. A
                # dossier (3-, 4-, 5-KNĐ) that would go stale before then is not
                # made yet: the candidate waits at the step before it.
                stale_soon = add_months(today, -9)
                if any(r.done_on and r.done_on < stale_soon for r in out if r.code in DOSSIER):
                    out = [r for r in out if r.code not in DOSSIER]
                break
        elif ceremony and s.code in ("self_review", "helper_review", "recognition_opinions"):
            day = max(day, add_months(ceremony, 12) - timedelta(days=rng.randint(1, 10)))
        elif ceremony and s.code == "recognition_branch":
            day = max(day, add_months(ceremony, 12)) + timedelta(days=rng.randint(0, 10))
        else:
            day += timedelta(days=gap)
        if day > today:
            break
        if s.code == "ceremony":
            ceremony = day
        out.append(StepRecord(s.code, StepState.DONE, day, _number(rng, s.form)))
    codes_done = [r.code for r in out]
    if "introduction" in codes_done and "union_resolution" not in codes_done:
        # 3-KNĐ and the Đoàn's 4-KNĐ go together on the Đoàn route: not yet both, neither.
        out = out[: codes_done.index("introduction")]
    done = {r.code: r.done_on for r in out}
    introduced = done.get("introduction")
    introducers: tuple[Introducer, ...] = ()
    if introduced:
        since = introduced - timedelta(days=rng.randint(400, 3000))
        introducers = (Introducer(rng.choice(HELPERS), PartyStatus.OFFICIAL, since),)
    votes = {s.code: _votes(rng, s.code, s.vote) for s in steps if s.vote and s.code in done}
    dossier = Dossier(
        introducers=introducers,
        votes=votes,
        education=rng.choice(("12/12", "12/12", "12/12", "9/12")),
        helper=rng.choice(HELPERS),
        helper_since=done.get("source"),
    )
    return out, dossier
