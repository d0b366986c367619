"""Staff grant and revoke access from the command line; bad input is a message and a non-zero exit, nothing granted."""

import json
import subprocess

import pytest

from survey_model.cli import main
from survey_model.store import Store


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """``python -m survey_model ARGS --db tmp/survey.db`` run in this process, on a store with two organizations."""
    monkeypatch.setenv("CLD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)
    with Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret") as store:
        store.ensure_organization("cedar-valley", "Cedar Valley", user="setup")
        store.ensure_organization("harbor-point", "Harbor Point", user="setup")

    def run_in_process(*args: str) -> subprocess.CompletedProcess:
        code = main([*args, "--db", str(tmp_path / "survey.db")])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run_in_process


def listed(run) -> list[dict]:
    result = run("access", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_grant_list_and_revoke(run):
    """The first staff grant, a domain grant, the JSON list, a revoke: each said in words, each in the list."""
    first = run("access", "grant", "--email", "Ana@Network.example", "--role", "staff", "--org", "*", "--user", "ana")
    assert first.returncode == 0, first.stderr
    assert "Granted staff of every organization for ana@network.example" in first.stdout
    domain = run(
        "access", "grant", "--domain", "@cedarvalley.k12.example", "--role", "partner", "--org", "cedar-valley"
    )
    assert (
        domain.returncode == 0 and "partner of Cedar Valley for everyone at @cedarvalley.k12.example" in domain.stdout
    )
    rows = listed(run)
    assert [(r["subject"], r["kind"], r["role"], r["organization"]) for r in rows] == [
        ("@cedarvalley.k12.example", "domain", "partner", "cedar-valley"),
        ("ana@network.example", "email", "staff", "*"),
    ]
    assert rows[1]["granted_by"] == "ana"
    gone = run("access", "revoke", "--domain", "cedarvalley.k12.example", "--org", "cedar-valley")
    assert gone.returncode == 0 and "Revoked partner of Cedar Valley" in gone.stdout
    assert [r["subject"] for r in listed(run)] == ["ana@network.example"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "ana", "--role", "staff", "--org", "*"], "is not an e-mail address"),
        (["--domain", "localhost", "--role", "partner", "--org", "cedar-valley"], "is not an e-mail domain"),
        (["--email", "a@b.example", "--role", "owner", "--org", "cedar-valley"], "“owner” is not a role"),
        (["--email", "a@b.example", "--role", "partner", "--org", "lakeside"], "There is no organization “lakeside”"),
    ],
)
def test_a_malformed_grant_exits_1_and_grants_nothing(run, args, message):
    """Bad address, domain, role or organization: the message says which, exit code 1, the list stays empty."""
    result = run("access", "grant", *args)
    assert result.returncode == 1
    assert "Nothing granted" in result.stderr and message in result.stderr
    assert listed(run) == []


def test_the_last_staff_grant_cannot_be_revoked(run):
    """Revoking the only staff grant is refused with what to do; the grant stays."""
    run("access", "grant", "--email", "ana@network.example", "--role", "staff", "--org", "*")
    result = run("access", "revoke", "--email", "ana@network.example", "--org", "*")
    assert result.returncode == 1
    assert "last staff grant" in result.stderr and "Grant staff to someone else first" in result.stderr
    assert [r["subject"] for r in listed(run)] == ["ana@network.example"]


def test_email_and_domain_together_is_a_usage_error(run):
    """argparse refuses both at once (exit 2) before anything is opened."""
    with pytest.raises(SystemExit) as caught:
        run("access", "grant", "--email", "a@b.example", "--domain", "b.example", "--role", "partner", "--org", "*")
    assert caught.value.code == 2
