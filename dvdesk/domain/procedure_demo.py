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
                break  # the chi bộ considers only from the 18th birthday: waiting
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
        number = f"{rng.randint(1, 250)}-{'QĐ/ĐU' if s.form in ('9-KNĐ', '16-KNĐ') else 'NQ/CB'}"
        out.append(StepRecord(s.code, StepState.DONE, day, number if s.form else ""))
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
