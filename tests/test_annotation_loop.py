"""The annotation loop against a real Label Studio server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket

import httpx
import pytest
from conftest import run_nianbao

from annotations.labelstudio import result_items
from annotations.loop import LabelStudioClient
from annotations.server import LabelStudioServer, label_studio_binary
from model.labeller import Labeller
from model.lines import split_lines
from training.dataset import load_annotated

TOKEN = "nianbao-test-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    if label_studio_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Label Studio (.ci/run does)")
        pytest.skip(
            "Label Studio is not installed here: python3 -m venv .venv-ls && "
            ".venv-ls/bin/pip install label-studio==1.23.2"
        )
    server = LabelStudioServer(
        tmp_path_factory.mktemp("ls"), _free_port(), TOKEN, "admin@example.com", "admin-pass-123"
    )
    with server as url:
        yield url


@pytest.fixture
def env(label_studio, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    return {**os.environ, "LABEL_STUDIO_URL": label_studio, "LABEL_STUDIO_API_KEY": TOKEN}


def _tasks(project: str) -> list[dict]:
    client = LabelStudioClient()
    return client.tasks(client.project_id(project, create=False))


def test_push_creates_one_task_per_document_with_predictions_and_is_idempotent(env, seeds):
    first = run_nianbao("annotate", "push", str(seeds[3]), str(seeds[4]), "--project", "push-test")
    assert first.returncode == 0, first.stderr
    assert "2 tasks created, 0 already there" in first.stderr
    again = run_nianbao("annotate", "push", str(seeds[3]), str(seeds[4]), "--project", "push-test")
    assert "0 tasks created, 2 already there" in again.stderr
    tasks = _tasks("push-test")
    assert len(tasks) == 2
    client = LabelStudioClient()
    task = client.get(f"/api/tasks/{tasks[0]['id']}", "read a task")
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == Labeller.load().version
    assert len(prediction["result"]) == len(task["data"]["lines"])
    full = [
        client.get(f"/api/tasks/{t['id']}", "read a task")
        for t in sorted(tasks, key=lambda t: t["id"])
    ]
    scores = [t["predictions"][0]["score"] for t in full]
    assert scores == sorted(scores)  # the least sure document comes first in the queue


def _annotate(client: LabelStudioClient, task: dict, labels: list[str]) -> None:
    lines = [
        type("L", (), {"no": int(x["no"]), "text": x["text"]})() for x in task["data"]["lines"]
    ]
    client.send(
        "POST",
        f"/api/tasks/{task['id']}/annotations",
        "annotate",
        {"result": result_items(lines, labels), "lead_time": 1.0},
    )


def test_pull_snapshots_corrections_never_overwrites_and_writes_nothing_when_nothing_is_new(
    env, seeds, tmp_path
):
    assert run_nianbao("annotate", "push", str(seeds[3]), "--project", "pull-test").returncode == 0
    client = LabelStudioClient()
    (task,) = _tasks("pull-test")
    assert (
        run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path)).returncode
        == 0
    )
    assert list(tmp_path.iterdir()) == []  # nothing annotated yet: nothing written
    labels = ["NOISE"] * len(task["data"]["lines"])
    labels[4] = "HEADING"
    _annotate(client, task, labels)
    result = run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path))
    assert result.returncode == 0 and "wrote" in result.stderr
    (snapshot,) = tmp_path.iterdir()
    (doc,) = load_annotated(tmp_path)
    assert doc.labels == labels
    again = run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path))
    assert "nothing new" in again.stderr and list(tmp_path.iterdir()) == [snapshot]
    labels[4] = "TITLE"  # a later correction: a second snapshot, the first untouched
    _annotate(client, task, labels)
    before = snapshot.read_bytes()
    run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path))
    assert len(list(tmp_path.iterdir())) == 2 and snapshot.read_bytes() == before
    (doc,) = load_annotated(tmp_path)
    assert doc.labels[4] == "TITLE"  # the latest annotation wins


def test_emoji_and_rare_characters_round_trip_without_corrupting_the_export(env, tmp_path):
    page = tmp_path / "emoji.txt"
    page.write_text(
        "点击此处返回首页 >> 👉\n𠀀字（扩展B区）的政府信息公开年度报告\n一、总体情况\n",
        encoding="utf-8",
    )
    assert run_nianbao("annotate", "push", str(page), "--project", "emoji-test").returncode == 0
    client = LabelStudioClient()
    (task,) = _tasks("emoji-test")
    _annotate(client, task, ["NOISE", "TITLE", "HEADING"])
    export = httpx.get(
        f"{env['LABEL_STUDIO_URL']}/api/projects/{client.project_id('emoji-test', False)}/export",
        params={"exportType": "JSON"},
        headers={"Authorization": f"Token {TOKEN}"},
        timeout=60,
    )
    assert export.status_code == 200
    assert (
        run_nianbao(
            "annotate", "pull", "--project", "emoji-test", "--out", str(tmp_path / "s")
        ).returncode
        == 0
    )
    (doc,) = load_annotated(tmp_path / "s")
    assert [line.text for line in doc.lines] == [
        line.text for line in split_lines(page.read_text())
    ]
    assert doc.labels == ["NOISE", "TITLE", "HEADING"]
    region = json.dumps(export.json(), ensure_ascii=False)
    assert "👉" in region and "𠀀" in region


def test_push_without_connection_settings_is_a_usage_error(seeds, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    result = run_nianbao("annotate", "push", str(seeds[3]), "--project", "x")
    assert result.returncode == 2 and "LABEL_STUDIO_URL" in result.stderr
