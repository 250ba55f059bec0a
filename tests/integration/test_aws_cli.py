"""`cloudtuner datasource add|list` and `cloudtuner import` as an operator runs them, against moto."""

import json
import subprocess
from datetime import datetime, timezone

import pytest

from tests.cli import cli_env, run_cli
from tests.factories import make_org
from tests.integration import aws_world as world


@pytest.fixture
def export():
    """A root account with one instance and this month's CUR 2.0 export (two days billed)."""
    world.reset()
    instance = world.client("ec2").run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                                 InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    s3 = world.client("s3")
    s3.create_bucket(Bucket="billing")
    month = datetime.now(timezone.utc).date().replace(day=1)
    rows = (world.hourly(world.ROOT_ACCOUNT, instance, month, 24, "0.125")
            + world.hourly(world.STRANGER_ACCOUNT, "i-0other", month, 2, "1"))
    world.put_cur2(s3, "billing", "cur", "daily", month, {"daily-00001.snappy.parquet": world.cur2_parquet(rows)})
    return month


def _cli(tmp_path, db_url: str, *args: str) -> subprocess.CompletedProcess:
    return run_cli(list(args), cli_env(tmp_path, db_url), tmp_path)


def _config(tmp_path, name: str, **changes) -> str:
    fields = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "top-secret-value",
              "export_type": "cur2", "bucket": "billing", "prefix": "cur", "export_name": "daily",
              "regions": "us-east-1", "endpoint_url": world.endpoint(), **changes}
    path = tmp_path / name
    path.write_text(json.dumps(fields))
    return str(path)


async def test_add_list_and_import_from_the_command_line(db, tmp_path, export):
    url = db  # the session's migrated database; the commands run as separate processes against it
    await make_org()

    added = _cli(tmp_path, url, "datasource", "add", "aws_root", "--org", "Acme", "--name", "AWS prod",
                 "--config", _config(tmp_path, "prod.json"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == ('Connected aws_root data source "AWS prod" (account 123456789012) '
                                    'to organization "Acme".')
    bad = _cli(tmp_path, url, "datasource", "add", "aws_root", "--org", "Acme", "--name", "Other",
               "--config", _config(tmp_path, "bad.json", bucket="no-such-bucket"))
    assert bad.returncode == 1
    assert bad.stderr.strip() == ('cloudtuner: No S3 bucket named "no-such-bucket" exists. '
                                  "Check the export's bucket name.")

    imported = _cli(tmp_path, url, "import", "AWS prod", "--from", export.isoformat())
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith('Imported "AWS prod": 26 line items read, 3 resources created (0 known from '
                                      'billing only), 0 updated, 1 days, total cost 3.00 USD')
    assert "  2 x account 333333333333 is not connected" in imported.stdout
    steps = [line for line in imported.stderr.splitlines() if line.startswith("import: ")]
    assert steps == ["import: 0/4 discover", "import: 1/4 billing", "import: 2/4 metrics", "import: 3/4 save",
                     "import: 4/4 done"] and "\r" not in imported.stderr  # stderr is a pipe here, not a terminal

    listed = _cli(tmp_path, url, "datasource", "list")
    assert listed.returncode == 0 and "top-secret-value" not in listed.stdout
    row = listed.stdout.splitlines()[1].split("\t")
    assert row[:4] == ["Acme", "AWS prod", "aws_root", "123456789012"] and row[4].endswith(" UTC")
    assert row[5] == "ok: 26 line items, 1 days, 3.00"


def test_secrets_are_not_taken_from_the_command_line(capsys):
    from config.cli import _parser

    with pytest.raises(SystemExit):
        _parser().parse_args(["datasource", "add", "aws_root", "--org", "A", "--name", "X", "--config", "f.json",
                              "--secret-access-key", "leak"])
    assert "unrecognized arguments: --secret-access-key leak" in capsys.readouterr().err
