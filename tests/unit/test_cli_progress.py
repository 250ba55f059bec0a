"""The import's progress: a bar redrawn in place on a terminal, plain lines in a log file or a pipe."""

import io

from config import cli_datasources


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(stream, monkeypatch) -> str:
    monkeypatch.setattr("sys.stderr", stream)
    for done, step in enumerate(("discover", "billing", "done")):
        cli_datasources._progress(step, done, 2)
    return stream.getvalue()


def test_a_terminal_gets_one_bar_redrawn_in_place(monkeypatch):
    shown = _run(Terminal(), monkeypatch)
    assert shown.count("\r") == 3 and shown.endswith(f"\r[{'#' * 30}] 2/2 done      \n")


def test_a_log_file_gets_one_line_per_step_and_no_redraws(monkeypatch):
    assert _run(io.StringIO(), monkeypatch) == "import: 0/2 discover\nimport: 1/2 billing\nimport: 2/2 done\n"
