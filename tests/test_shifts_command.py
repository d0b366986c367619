"""`python -m survey_model shifts`: the same honest figures on the command line, as text or JSON."""

import json
import re

import pytest

from survey_model.cli import main


def test_shifts_json_reports_the_leader_identity_rise_with_interval_and_n(data_dir, capsys):
    """JSON output: per-wave shares with n, change with interval and p, and the worded statements."""
    code = main(["shifts", "--org", "cedar-valley", "--from", "2024 Spring", "--to", "2026 Spring", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    leader = next(row for row in result["comparisons"] if row["measure"] == "leader_identity")
    assert leader["verdict"] == "clear increase" and leader["n1"] > 400 and leader["n2"] > 400
    assert leader["diff_lo"] > 0 and leader["diff_lo"] < leader["diff"] < leader["diff_hi"]
    assert leader["ratio_lo"] > 1 and 0 < leader["p_value"] < 0.05
    assert {row["target"] for row in result["comparisons"]} >= {"LI1", "SI", "RN"}
    assert result["statements"][0].startswith("Educators who consider themselves leaders: clear increase")


def test_shifts_text_for_a_tiny_school_prints_no_figures(data_dir, capsys):
    """Juniper Hollow (4 respondents in 2026): every line says too few responses to say."""
    code = main(
        [
            "shifts",
            "--org",
            "cedar-valley",
            "--from",
            "2024 Spring",
            "--to",
            "2026 Spring",
            "--school",
            "Juniper Hollow School",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    table = out.split("Statements:")[0].splitlines()[4:]
    assert table and all("too few responses to say" in line for line in table if line.strip())
    assert "%" not in out.split("Statements:")[0].split("----")[-1]


def test_shifts_for_an_unknown_wave_says_which_waves_exist(data_dir, capsys):
    """A typo in a wave label exits 1 with the stored labels, no traceback."""
    code = main(["shifts", "--org", "cedar-valley", "--from", "2024 Spring", "--to", "2031 Fall"])
    err = capsys.readouterr().err
    assert code == 1 and "2031 Fall" in err and "2026 Spring" in err and "Traceback" not in err


def test_shifts_for_an_unknown_organization_lists_the_stored_ones(data_dir, capsys):
    """A mistyped organization is named as unknown, with the stored ones listed."""
    code = main(["shifts", "--org", "cedar", "--from", "2024 Spring", "--to", "2026 Spring"])
    err = capsys.readouterr().err
    assert code == 1 and "There is no organization 'cedar'" in err
    assert "Stored organizations: 'cedar-valley', 'harbor-point'" in err


def test_shifts_finds_waves_and_organization_typed_in_another_case(data_dir, capsys):
    """ "2024 spring" and " 2026 SPRING " of "Cedar-Valley" give the figures of the stored waves, named as stored."""
    exact = ["shifts", "--org", "cedar-valley", "--from", "2024 Spring", "--to", "2026 Spring", "--json"]
    assert main(exact) == 0
    expected = json.loads(capsys.readouterr().out)
    typed = ["shifts", "--org", "Cedar-Valley", "--from", "2024 spring", "--to", " 2026 SPRING ", "--json"]
    assert main(typed) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["organization"], result["from_wave"], result["to_wave"]) == (
        "cedar-valley",
        "2024 Spring",
        "2026 Spring",
    )
    assert result["comparisons"] == expected["comparisons"] and len(result["comparisons"]) > 10


def test_shifts_text_changes_are_the_difference_of_the_printed_figures(data_dir, capsys):
    """Each text line's change is 'to' minus 'from' as printed (Shared influence: 32.49% → 42.67% prints
    32% → 43%, +11 points); a mean that does not move prints 'no change', never '+0.00'."""
    code = main(["shifts", "--org", "cedar-valley", "--from", "2024 Spring", "--to", "2026 Spring"])
    out = capsys.readouterr().out
    assert code == 0
    rows = [line for line in out.split("Statements:")[0].splitlines() if re.search(r"\d  (no change|[+−])", line)]
    assert len(rows) == 15
    for line in rows:
        match = re.search(r"(\d+(?:\.\d+)?)(%?)\s+(\d+(?:\.\d+)?)%?\s+\d+\s+\d+\s+(no change|[+−][\d.]+)", line)
        assert match, line
        before, after = float(match.group(1)), float(match.group(3))
        if match.group(4) == "no change":
            assert before == after, line
        else:
            assert float(match.group(4).replace("−", "-")) == pytest.approx(after - before), line
    assert "+0.00" not in out and "+0 " not in out and "−0 " not in out
