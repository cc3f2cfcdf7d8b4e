"""deploy/prometheus: the alert rules load, fire on made-up series (promtool's own rule tests), and ask for the
metric names and labels the bot exports."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bot.telemetry import Telemetry
from tests.deploy.tools import require_tool

RULES_DIR = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs promtool in the rules' directory (the test file names the rules file relative to itself)."""
    promtool = require_tool("promtool", "the Prometheus alert rules are")
    return subprocess.run([promtool, *args], cwd=RULES_DIR, capture_output=True, text=True, timeout=120)


def test_the_rules_load_and_each_alert_fires_on_its_made_up_series_and_not_before() -> None:
    checked = _promtool("check", "rules", "karya-bot.rules.yml")
    assert checked.returncode == 0 and "SUCCESS: 4 rules found" in checked.stdout, checked.stdout + checked.stderr
    tested = _promtool("test", "rules", "karya-bot.rules.test.yml")
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


def test_the_job_alert_groups_by_a_label_the_bot_exports_and_prometheus_keeps() -> None:
    telemetry = Telemetry(lambda: datetime(2026, 12, 4, tzinfo=UTC))
    telemetry.job_ran("production-sheet", "error")
    exported = telemetry.exposition().decode()
    assert 'karya_job_runs_total{name="production-sheet",outcome="error"} 1.0' in exported
    # `job` (and `instance`) are the labels Prometheus gives each scraped series: a metric's own would be renamed.
    assert not re.search(r'^karya_\w+\{[^}]*\b(job|instance)=', exported, re.MULTILINE)
    rules = (RULES_DIR / "karya-bot.rules.yml").read_text(encoding="utf-8")
    assert "sum by (name) (increase(karya_job_runs_total" in rules and "exported_job" not in rules
