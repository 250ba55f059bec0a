"""The served process leads a newcomer to the console: it prints the URLs, `/` opens setup, and a manager
made by `cloudtuner init --password-file` signs in."""

import re

from aiohttp import ClientSession, CookieJar

from tests.cli import cli_env, own_db_url, run_cli
from tests.scenario.served import serving

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def test_serve_prints_the_console_and_setup_urls_and_root_leads_to_setup(db, tmp_path):
    async with serving(cli_env(tmp_path, own_db_url(db, tmp_path)), tmp_path) as served:
        async with ClientSession() as http, http.get(served.url + "/", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/setup"
    assert f"Cloudtuner console: {served.url}/" in served.output
    assert f"No organization yet. Set one up at {served.url}/setup" in served.output


async def test_init_with_a_password_file_then_sign_in_to_the_served_console(db, tmp_path):
    env = cli_env(tmp_path, own_db_url(db, tmp_path))
    (tmp_path / "pw").write_text("a long enough password\n")
    made = run_cli(["init", "--org", "Initech", "--manager-email", "bill@initech.test", "--password-file",
                str(tmp_path / "pw")], env, tmp_path)
    assert made.returncode == 0 and "sign in at" in made.stdout, made.stderr
    short = tmp_path / "short"
    short.write_text("short\n")
    refused = run_cli(["init", "--org", "Other", "--manager-email", "o@o.test", "--password-file", str(short)], env, tmp_path)
    assert refused.returncode == 1 and "at least 10 characters" in refused.stderr
    missing = run_cli(["init", "--org", "Other", "--manager-email", "o@o.test", "--password-file", "/nope"], env, tmp_path)
    assert missing.returncode == 1 and "Cannot read the password file /nope" in missing.stderr
    async with serving(env, tmp_path) as served:
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
            async with http.get(served.url + "/signin") as resp:
                token = TOKEN.search(await resp.text()).group(1)
            form = {"email": "bill@initech.test", "password": "a long enough password", "csrf_token": token}
            async with http.post(served.url + "/signin", data=form) as resp:
                assert resp.status == 200 and "Initech" in await resp.text()
    assert "No organization yet" not in served.output
