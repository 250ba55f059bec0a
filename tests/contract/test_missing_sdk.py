"""A cloud whose SDK is missing or broken is disabled alone, with a message saying so; the others keep working."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.adapters import registry
from core.adapters.base import Capability, KindInfo
from core.clock import utcnow
from core.crypto import SecretBox
from core.errors import InvalidInput
from core.models import DataSource, DataSourceKind
from core.services import datasources
from jobs.runner import Deps, run_job
from jobs.scheduler import JOBS
from tests.factories import make_org
from tests.integration import aws_world as moto

REPO = Path(__file__).resolve().parents[2]
BROKEN = KindInfo(kind=DataSourceKind.AZURE_SUBSCRIPTION, cloud="Broken", label="Broken cloud", help="SDK missing.",
                  capabilities=frozenset(Capability), fields=(), factory="tests.contract.no_such_sdk:build")
BOX = SecretBox("k" * 40)


async def test_a_kind_whose_module_fails_to_import_fails_alone_and_clearly(db, monkeypatch):
    monkeypatch.setitem(registry.KINDS, BROKEN.kind, BROKEN)
    moto.reset()
    fx = await make_org()
    with pytest.raises(InvalidInput) as err:
        await datasources.connect_data_source(actor_id=fx.manager.id, kind=BROKEN.kind.value, name="B", fields={},
                                              box=BOX)
    message = "The Broken cloud connector cannot load (No module named 'tests.contract.no_such_sdk')"
    assert err.value.code == "adapter_unavailable" and str(err.value).startswith(message)
    assert "other clouds keep working" in str(err.value) and await DataSource.all().count() == 0
    await datasources.connect_data_source(
        actor_id=fx.manager.id, kind="aws_linked", name="AWS", box=BOX,
        fields={"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "x", "regions": "us-east-1",
                "endpoint_url": moto.endpoint()})
    await DataSource.create(organization_id=fx.org.id, name="Broken", kind=BROKEN.kind, pool_id=fx.root.id)

    result = await run_job(JOBS["data_sources"], Deps(box=BOX), now=utcnow())

    assert result.startswith("1 data source(s) imported, 1 failed")
    status = dict(await DataSource.all().values_list("name", "last_import_status"))
    assert status["Broken"].startswith(f"failed: {message}") and status["AWS"].startswith("ok: ")


def _cloudtuner(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDTUNER_")}
    env.update(CLOUDTUNER_DATA_DIR=str(tmp_path / "data"), CLOUDTUNER_DATABASE_URL=f"sqlite://{tmp_path}/ct.sqlite3",
               PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "tests.contract.without_sdk", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_without_boto3_aws_is_disabled_with_a_clear_message_and_the_rest_works(tmp_path):
    kinds = _cloudtuner(tmp_path, "datasource", "kinds")
    assert kinds.returncode == 0, kinds.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in kinds.stdout.splitlines() if "\t" in line}
    assert rows["aws_root"][1] == "AWS root account (payer)" and "boto3" in rows["aws_root"][3]
    assert rows["aws_root"][3].startswith("The AWS root account (payer) connector cannot load (")
    assert "other clouds keep working" in rows["aws_linked"][3]
    assert rows["alibaba"][3] == "available" and "test cloud: ok" in kinds.stderr
    assert "  secret_access_key* (secret): AWS secret access key" in kinds.stdout

    assert _cloudtuner(tmp_path, "init", "--org", "Acme", "--manager-email", "boss@acme.test").returncode == 0
    fields = tmp_path / "aws.json"
    fields.write_text(json.dumps({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "x",
                                  "bucket": "billing", "export_name": "daily"}))
    added = _cloudtuner(tmp_path, "datasource", "add", "aws_root", "--org", "Acme", "--name", "AWS",
                        "--config", str(fields))
    assert added.returncode == 1 and "cloudtuner: The AWS root account (payer) connector cannot load" in added.stderr
    assert "Traceback" not in added.stderr
    assert _cloudtuner(tmp_path, "datasource", "list").stdout.strip() == "No data sources."
    demo = _cloudtuner(tmp_path, "demo")
    assert demo.returncode == 0 and "organization managers are manager@demo.example, boss@acme.test" in demo.stdout
    power = _cloudtuner(tmp_path, "jobs", "run", "power_schedules")
    assert power.returncode == 0 and "0 organization(s) failed" in power.stdout, power.stderr
