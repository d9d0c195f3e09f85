"""Demo dossiers pass the procedure's rules: no violation, no refusal, stages that count."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from dvdesk import demo
from dvdesk.domain.checklist import build_checklist
from dvdesk.domain.deadline_rules import FlagKind
from dvdesk.domain.procedure import DEFINITION, Stage, stage_of
from dvdesk.domain.procedure_demo import STAGE_STEPS, sample_dossier
from dvdesk.store.gateway import Store
from tests import sql

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("seed", range(40))
def test_sample_dossiers_have_no_violation(seed: int):
    rng = random.Random(seed)
    for stage in STAGE_STEPS:
        dob = date(1990 + rng.randint(0, 17), rng.randint(1, 12), rng.randint(1, 28))
        steps, dossier = sample_dossier(rng, stage, dob, TODAY)
        records = {r.code: r for r in steps}
        cl = build_checklist(records, None, None, TODAY, dossier=dossier)
        assert [f for f in cl.flags if f.kind is FlagKind.VIOLATION] == [], (stage, dob)
        applicable = [s.code for s in DEFINITION.steps_for(DEFINITION.default_position)]
        if steps[-1].code == STAGE_STEPS[stage]:
            assert len(steps) == applicable.index(STAGE_STEPS[stage]) + 1
            assert stage_of(records, DEFINITION, DEFINITION.default_position) is stage


def test_a_demo_file_has_no_dossier_to_check():
    store = Store.open(":memory:")
    try:
        demo.build(store, 400, seed=3, today=TODAY)
        uids = [
            r["uid"]
            for r in sql.rows(
                store, "SELECT DISTINCT m.uid FROM steps s JOIN members m ON m.id = s.member_id"
            )
        ]
        assert len(uids) >= 10
        stages = Counter()
        for uid in uids:
            cl = store.steps.checklist(uid, today=TODAY)
            assert cl.violations == (), [f.message for f in cl.violations]
            stages[cl.stage] += 1
        assert stages[Stage.PROBATION] + stages[Stage.FULL] > 0
    finally:
        store.close()
