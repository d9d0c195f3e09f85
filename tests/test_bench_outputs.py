"""The bench's own checks: the output comparisons, targets, the budget, process timing,
and that each baseline really produces dvdesk's output on a small demo file."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import baselines  # noqa: E402
import measure  # noqa: E402
import outputs  # noqa: E402
from measure import Budget, Result, Target, run_process  # noqa: E402


def write_json(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


ROW = {f: f"{f}-1" for f in outputs.LIST_FIELDS}
ROW2 = {**ROW, "uid": "uid-2", "full_name": "Bùi Ánh"}


@pytest.mark.parametrize(
    ("mine", "bare", "same"),
    [
        ([ROW, ROW2], [ROW, ROW2], True),
        ([ROW, ROW2], [ROW2, ROW], False),  # the roster order counts
        ([ROW, ROW2], [ROW], False),  # a row left out
        ([ROW], [{**ROW, "stage": "course"}], False),  # a shared field differs
        ([{**ROW, "note": "x"}], [{**ROW, "note": ""}], True),  # Python-only fields do not
        ([], [], True),
    ],
)
def test_compare_lists(tmp_path: Path, mine: list, bare: list, same: bool) -> None:
    check = outputs.compare_lists(
        write_json(tmp_path / "a", mine), write_json(tmp_path / "b", bare)
    )
    assert check.same is same
    assert check.uids == [r["uid"] for r in mine]
    assert f"{len(mine):,} / {len(bare):,} dòng" in check.text


def stats_doc(admitted_2020: int) -> dict[str, object]:
    fig = {"introduced": 3, "course": 2, "admitted": 1}
    kinds = {"kdc": fig, "thpt": fig}
    return {
        **fig,
        "by_unit_kind": kinds,
        "students": fig,
        "years": [
            {
                "year": 2020,
                **{**fig, "admitted": admitted_2020},
                "by_unit_kind": kinds,
                "students": fig,
            }
        ],
    }


def test_compare_stats(tmp_path: Path) -> None:
    a = write_json(tmp_path / "a", stats_doc(1))  # type: ignore[arg-type]
    assert outputs.compare_stats(a, write_json(tmp_path / "b", stats_doc(1)))[0]  # type: ignore[arg-type]
    assert not outputs.compare_stats(a, write_json(tmp_path / "c", stats_doc(2)))[0]  # type: ignore[arg-type]


def test_package_counts_skip_the_header(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("units.csv", "\ufeffcode,name\nA,x\n")
        z.writestr("members.csv", 'uid,name\n1,"a\nb"\n2,c\n')  # a quoted newline is one row
        z.writestr("steps.csv", "uid\n")
        z.writestr("audit.csv", "id\n1\n2\n3\n")
    assert outputs.package_counts(path) == {"units": 1, "members": 2, "steps": 0, "audit": 3}


@pytest.mark.parametrize(
    ("target", "dvdesk", "baseline", "ok", "label"),
    [
        (Target(2.0, issue=11), 1.9, 1.0, True, "≤2× (#11)"),
        (Target(2.0, issue=11), 2.1, 1.0, False, "≤2× (#11)"),
        (Target(0.05, "max", "s", 16), 0.049, 0.001, True, "≤50 ms (#16)"),
        (Target(0.05, "max", "s", 16), 0.051, 1.0, False, "≤50 ms (#16)"),
        (Target(0, "max", "count"), 1, 0, False, "≤0"),
    ],
)
def test_targets(target: Target, dvdesk: float, baseline: float, ok: bool, label: str) -> None:
    result = Result("x", 1, dvdesk, baseline, (target,), same_output=True)
    assert result.ok is ok
    assert target.label() == label


def test_memory_limit_reads_peak_rss_and_a_differing_output_fails() -> None:
    mb = Target(300, "max", "MB", 17)
    assert Result("x", 1, 9.0, 1.0, (mb,), dvdesk_rss_mb=299).ok
    assert not Result("x", 1, 0.1, 1.0, (mb,), dvdesk_rss_mb=301).ok
    assert not Result("x", 1, 0.1, 1.0, (), same_output=False).ok
    data = Result("x", 1, 2.0, 1.0, (Target(3.0),), same_output=True).as_json()
    assert {"name", "size", "dvdesk", "baseline", "ratio", "target", "growth"} <= set(data)
    assert data["ratio"] == 2.0 and data["target"] == "≤3×"


def test_budget_predicts_linear_growth_and_says_why_it_skips() -> None:
    budget = Budget(100)
    assert budget.allows("import", 20_000)[0]  # nothing known yet
    budget.record("import", 20_000, 5.0)
    assert budget.predict("import", 200_000) == pytest.approx(50.0)
    assert budget.allows("import", 200_000)[0]
    budget.record("import", 20_000, 20.0)
    ok, line = budget.allows("import", 200_000)
    assert not ok and "BỎ QUA" in line and "200,000" in line


def test_run_process_times_the_child_alone_and_refuses_a_failure(tmp_path: Path) -> None:
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    grow = "b = bytearray(150 * 1024 * 1024)\nb[::4096] = b'x' * len(b[::4096])\n"
    out = tmp_path / "o"
    sample = run_process([sys.executable, "-c", busy + grow + "print('ok')"], out)
    assert sample.cpu >= 0.3 and sample.wall >= sample.cpu * 0.5
    assert 150 <= sample.rss_mb < 400
    assert out.read_text().strip() == "ok"
    with pytest.raises(RuntimeError, match="exit 3"):
        run_process([sys.executable, "-c", "import sys; sys.exit(3)"])


def test_interleaved_alternates_and_takes_medians() -> None:
    order: list[str] = []

    def side(name: str, cpu: float):
        def run(_: int) -> measure.Sample:
            order.append(name)
            return measure.Sample(cpu + len(order) * 0.001, 0.01, 10)

        return run

    pair = measure.interleaved(side("a", 1.0), side("b", 2.0), repeats=3)
    assert order == ["a", "b", "b", "a", "a", "b"]
    assert pair.runs == 3 and pair.dvdesk.cpu == pytest.approx(1.004)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("28/06/2008", ("2008-06-28", "day")),
        ("3/2008", ("2008-03", "month")),
        ("2008", ("2008", "year")),
        ("", (None, None)),
    ],
)
def test_baseline_date_parsing(text: str, parsed: tuple[str | None, str | None]) -> None:
    assert baselines.parse_dob(text) == parsed


def test_baseline_fold() -> None:
    assert baselines.fold("Đặng Thị Ánh") == "dang thi anh"


# -- each baseline against dvdesk itself on a small demo ----------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dvdesk.cli import main

    path = tmp_path_factory.mktemp("bench") / "demo.db"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--db", str(path), "--members", "300", "--seed", "3"]) in (0, None)
    return path


def cli_stdout(*args: str) -> str:
    from dvdesk.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(list(args)) in (0, None)
    return buf.getvalue()


def test_eligible_list_baseline_matches_dvdesk(demo: Path, tmp_path: Path) -> None:
    mine, bare = tmp_path / "a.json", tmp_path / "b.json"
    mine.write_text(cli_stdout("list", "--db", str(demo), "--eligible-on", "2026-11-26", "--json"))
    baselines.list_eligible(str(demo), "2026-11-26", str(bare))
    check = outputs.compare_lists(mine, bare)
    assert check.same, check.text
    assert len(check.uids) == outputs.eligible_count(demo, "2026-11-26") > 0


def test_statistics_baseline_matches_dvdesk(demo: Path, tmp_path: Path) -> None:
    mine, bare = tmp_path / "a.json", tmp_path / "b.json"
    mine.write_text(
        cli_stdout("stats", "--db", str(demo), "--from", "2017", "--to", "2026", "--json")
    )
    baselines.stats(str(demo), "2017", "2026", str(bare))
    same, text = outputs.compare_stats(mine, bare)
    assert same, text


def test_import_and_backup_baselines_bring_the_same_members(demo: Path, tmp_path: Path) -> None:
    from dvdesk.store.gateway import Store

    sheet = tmp_path / "m.csv"
    cli_stdout("export", "--db", str(demo), "--out", str(sheet))
    template = tmp_path / "empty.db"
    Store.open(template).close()
    bare = tmp_path / "bare.db"
    baselines.import_csv(str(template), str(sheet), str(bare))
    with open(sheet, encoding="utf-8-sig", newline="") as f:
        assert outputs.member_digest(bare)[0] == sum(1 for _ in csv.reader(f)) - 1
    assert outputs.member_digest(bare) == outputs.member_digest(demo)
    copy = tmp_path / "copy.db"
    baselines.backup(str(demo), str(copy))
    assert outputs.table_digest(copy) == outputs.table_digest(demo)


def test_baseline_script_runs_as_its_own_process(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("Đủ tuổi\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCH / "baselines.py"), "age", str(answer)],
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode("utf-8") == "Đủ tuổi\n"
