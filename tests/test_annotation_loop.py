"""The annotation loop against a real Label Studio server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import time
from pathlib import Path

import httpx
import pytest
from conftest import CORPUS, run_nianbao
from nianbao.annotations.labelstudio import result_items
from nianbao.annotations.loop import connect, project_id, project_tasks
from nianbao.annotations.server import LabelStudioServer, label_studio_binary
from nianbao.model.labeller import SHIPPED_MODEL, load_model
from nianbao.model.lines import split_lines
from nianbao.training.dataset import load_annotated
from nianbao.training.real_documents import OWN_ANNOTATIONS, shared_dir

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
    ls = connect()
    return project_tasks(ls, project_id(ls, project, create=False))


def _task(ls, task_id: int) -> dict:
    return ls.tasks.get(id=str(task_id)).model_dump()


def test_push_creates_one_task_per_document_with_predictions_and_is_idempotent(env, seeds):
    first = run_nianbao("annotate", "push", str(seeds[3]), str(seeds[4]), "--project", "push-test")
    assert first.returncode == 0, first.stderr
    assert "2 tasks created, 0 already there" in first.stderr
    again = run_nianbao("annotate", "push", str(seeds[3]), str(seeds[4]), "--project", "push-test")
    assert "0 tasks created, 2 already there" in again.stderr
    tasks = _tasks("push-test")
    assert len(tasks) == 2
    ls = connect()
    task = _task(ls, tasks[0]["id"])
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == load_model().version
    assert len(prediction["result"]) == len(task["data"]["lines"])
    full = [_task(ls, t["id"]) for t in sorted(tasks, key=lambda t: t["id"])]
    scores = [t["predictions"][0]["score"] for t in full]
    assert scores == sorted(scores)  # the least sure document comes first in the queue


def _annotate(ls, task: dict, labels: list[str]) -> None:
    lines = [
        type("L", (), {"no": int(x["no"]), "text": x["text"]})() for x in task["data"]["lines"]
    ]
    ls.annotations.create(id=task["id"], result=result_items(lines, labels), lead_time=1.0)


def test_pull_snapshots_corrections_never_overwrites_and_writes_nothing_when_nothing_is_new(
    env, seeds, tmp_path
):
    assert run_nianbao("annotate", "push", str(seeds[3]), "--project", "pull-test").returncode == 0
    ls = connect()
    (task,) = _tasks("pull-test")
    assert (
        run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path)).returncode
        == 0
    )
    assert list(tmp_path.iterdir()) == []  # nothing annotated yet: nothing written
    labels = ["NOISE"] * len(task["data"]["lines"])
    labels[4] = "HEADING"
    _annotate(ls, task, labels)
    result = run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path))
    assert result.returncode == 0 and "wrote" in result.stderr
    (snapshot,) = tmp_path.iterdir()
    (doc,) = load_annotated(tmp_path)
    assert doc.labels == labels
    again = run_nianbao("annotate", "pull", "--project", "pull-test", "--out", str(tmp_path))
    assert "nothing new" in again.stderr and list(tmp_path.iterdir()) == [snapshot]
    labels[4] = "TITLE"  # a later correction: a second snapshot, the first untouched
    _annotate(ls, task, labels)
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
    ls = connect()
    (task,) = _tasks("emoji-test")
    _annotate(ls, task, ["NOISE", "TITLE", "HEADING"])
    export = httpx.get(
        f"{env['LABEL_STUDIO_URL']}/api/projects/{project_id(ls, 'emoji-test', False)}/export",
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


def test_a_page_on_one_line_is_annotated_as_pieces_and_trains_on_todays_pieces(env, tmp_path):
    """A real corpus page whose body is one line: its task's items are the pieces the
    labeller sees, each with its span in the source line; an annotator's correction
    comes back with `pull` on exactly the pieces split_lines gives at run time."""
    page = CORPUS / "004_pt-scj_2021.txt"
    assert run_nianbao("annotate", "push", str(page), "--project", "one-line").returncode == 0
    ls = connect()
    (task,) = _tasks("one-line")
    text = page.read_text(encoding="utf-8")
    body = text.split("\n")[9]
    pieces = [x for x in task["data"]["lines"] if x.get("span")]
    assert len(pieces) > 100
    assert all(body[slice(*x["span"])] == x["text"] for x in pieces)
    assert task["data"]["source_lines"] == {"10": body}
    full = _task(ls, task["id"])
    labels = [r["value"]["paragraphlabels"][0] for r in full["predictions"][0]["result"]]
    title = "平潭综合实验区市场监督管理局2021年度政府信息公开工作年度报告"
    i = next(k for k, x in enumerate(task["data"]["lines"]) if x["text"] == title)
    labels[i] = "TITLE"
    labels[0] = "META"  # the archiver's 标题 field
    _annotate(ls, task, labels)
    out = tmp_path / "snapshots"
    assert (
        run_nianbao("annotate", "pull", "--project", "one-line", "--out", str(out)).returncode == 0
    )
    (doc,) = load_annotated(out)
    assert [(line.no, line.text) for line in doc.lines] == [
        (line.no, line.text) for line in split_lines(text)
    ]
    assert doc.labels[i] == "TITLE" and doc.labels[0] == "META"
    assert doc.labels == labels


def test_push_without_connection_settings_is_a_usage_error(seeds, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    result = run_nianbao("annotate", "push", str(seeds[3]), "--project", "x")
    assert result.returncode == 2 and "LABEL_STUDIO_URL" in result.stderr


def test_corrections_pulled_from_label_studio_teach_the_model_a_layout_it_got_wrong(env, tmp_path):
    """Push pages of a layout the shipped model mislabels (markdown pipe tables), correct
    them through the API as an annotator would, pull, retrain: the new model labels a
    DIFFERENT page of that layout right, not only the pages that were corrected."""
    from nianbao.training.synthetic import generate_page, page_text, to_document
    from nianbao.training.train import generated_documents, train_labeller

    pages = [
        generate_page(random.Random(s), f"pipe-{s}", layouts=("pipe",), template="2021")
        for s in (31, 32, 33, 40)
    ]
    paths = []
    for page in pages[:3]:
        path = tmp_path / f"{page.doc_id}.txt"
        path.write_text(page_text(page), encoding="utf-8")
        paths.append(path)
    assert (
        run_nianbao("annotate", "push", *map(str, paths), "--project", "pipe-layout").returncode
        == 0
    )
    ls = connect()
    gold = {str(p): to_document(page).labels for p, page in zip(paths, pages, strict=False)}
    for task in _tasks("pipe-layout"):
        _annotate(ls, task, gold[task["data"]["source"]])
    snapshots = tmp_path / "annotations"
    shutil.copytree(OWN_ANNOTATIONS, snapshots)
    assert (
        run_nianbao(
            "annotate", "pull", "--project", "pipe-layout", "--out", str(snapshots)
        ).returncode
        == 0
    )

    unseen = to_document(pages[3])
    before = load_model()
    after = train_labeller(
        load_annotated([snapshots, shared_dir() / "annotations"]), extra=generated_documents()
    )

    def accuracy(labeller):
        tags = labeller.predict(unseen.lines)
        return sum(t.label == g for t, g in zip(tags, unseen.labels, strict=True)) / len(
            unseen.labels
        )

    assert accuracy(before) < 0.98
    assert accuracy(after) > accuracy(before)
    assert accuracy(after) == 1.0


def test_after_a_new_model_one_push_brings_its_predictions_to_the_queue(env, seeds, tmp_path):
    assert (
        run_nianbao("annotate", "push", str(seeds[2]), "--project", "version-test").returncode == 0
    )
    newer = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL, newer)
    card = json.loads((newer / "model.json").read_text(encoding="utf-8"))
    card["version"] = "crf-test-newer"
    (newer / "model.json").write_text(json.dumps(card), encoding="utf-8")
    result = run_nianbao(
        "annotate", "push", str(seeds[2]), "--project", "version-test", "--model", str(newer)
    )
    assert "0 tasks created, 1 already there" in result.stderr
    ls = connect()
    (task,) = _tasks("version-test")
    versions = {p["model_version"] for p in _task(ls, task["id"])["predictions"]}
    assert versions == {load_model().version, "crf-test-newer"}
    project = ls.projects.get(id=project_id(ls, "version-test", False))
    assert project.model_version == "crf-test-newer"


def test_label_studio_asks_the_ml_backend_for_predictions_of_a_new_task(env, seeds, service):
    result = run_nianbao(
        "annotate", "push", str(seeds[3]), "--project", "backend-test", "--ml-backend", service
    )
    assert result.returncode == 0, result.stderr
    ls = connect()
    project = project_id(ls, "backend-test", create=False)
    lines = split_lines("政府信息公开年度报告\n一、总体情况\n本年度共主动公开政府信息120条。")
    task = {
        "data": {
            "doc_id": "new",
            "source": "typed-in",
            "sha256": "0" * 64,
            "lines": [{"no": str(x.no), "text": x.text, "raw": x.raw} for x in lines],
        }
    }
    (task_id,) = ls.projects.import_tasks(id=project, request=[task], return_task_ids=True).task_ids
    ls.actions.create(
        id="retrieve_tasks_predictions",
        project=project,
        selected_items={"all": False, "included": [task_id]},
    )
    predictions = []
    for _ in range(40):
        predictions = _task(ls, task_id)["predictions"]
        if predictions:
            break
        time.sleep(0.5)
    (prediction,) = predictions
    assert prediction["model_version"] == load_model().version
    labels = [r["value"]["paragraphlabels"][0] for r in prediction["result"]]
    assert labels[1] == "HEADING" and len(labels) == 3


def test_push_sends_pdf_and_word_reports_like_text_pages(env, tmp_path):
    from conftest import SAMPLES
    from test_pdf_docx import _fill_template

    report = tmp_path / "report.docx"
    _fill_template(report)
    pdf = SAMPLES / "hongze_2023.pdf"
    result = run_nianbao("annotate", "push", str(pdf), str(report), "--project", "office-files")
    assert result.returncode == 0, result.stderr
    assert "2 tasks created" in result.stderr
    ls = connect()
    texts = {}
    for task in _tasks("office-files"):
        full = _task(ls, task["id"])
        texts[Path(full["data"]["source"]).suffix] = full
    pdf_task = texts[".pdf"]
    lines = [x["text"] for x in pdf_task["data"]["lines"]]
    assert "一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21" in lines  # a PDF table row
    assert len(pdf_task["predictions"][0]["result"]) == len(lines)
    assert "某某县人民政府2022年政府信息公开工作年度报告" in [
        x["text"] for x in texts[".docx"]["data"]["lines"]
    ]


# --- faults: a server that is down, refuses, fails or says nothing; pulls cut short ----------


class _FaultyServer:
    """A real HTTP server on 127.0.0.1 that answers every request with one HTTP status, or
    never answers: what a Label Studio behind a broken proxy, or hung, looks like."""

    def __init__(self, status: int | None) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                if status is None:
                    time.sleep(10)
                    return
                body = b'{"detail": "upstream failed"}'
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    def __enter__(self) -> str:
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr
    return lines[0]


def test_a_server_that_refuses_fails_or_says_nothing_is_one_line_naming_it(
    label_studio, seeds, tmp_path
):
    def pull(url: str, token: str = TOKEN, timeout: str = "60"):
        env = {
            **os.environ,
            "LABEL_STUDIO_URL": url,
            "LABEL_STUDIO_API_KEY": token,
            "LABEL_STUDIO_TIMEOUT": timeout,
        }
        return run_nianbao(
            "annotate", "pull", "--project", "x", "--out", str(tmp_path), env=env, timeout=300
        )

    wrong = _one_line(pull(label_studio, token="not-the-token-0123456789"))
    assert f"Label Studio at {label_studio} refused the token (HTTP 401" in wrong
    for status in (500, 502):
        with _FaultyServer(status) as url:
            failed = _one_line(pull(url, token="not-the-token-0123456789"))
            assert f"Label Studio at {url} failed (HTTP {status}" in failed
    with _FaultyServer(None) as url:
        silent = _one_line(pull(url, timeout="1"))
        assert f"Label Studio at {url} did not answer within 1 s (LABEL_STUDIO_TIMEOUT)" in silent
    assert list(tmp_path.iterdir()) == []


def test_a_stopped_server_is_one_line_and_what_was_pulled_stays(seeds, tmp_path):
    server = LabelStudioServer(
        tmp_path / "ls", _free_port(), TOKEN, "admin@example.com", "admin-pass-123"
    )
    out = tmp_path / "snapshots"
    with server as url:
        env = {**os.environ, "LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": TOKEN}
        push = run_nianbao("annotate", "push", str(seeds[1]), "--project", "stop", env=env)
        assert push.returncode == 0, push.stderr
        ls = connect(url, TOKEN)
        (task,) = project_tasks(ls, project_id(ls, "stop", create=False))
        _annotate(ls, task, ["NOISE"] * len(task["data"]["lines"]))
        pulled = run_nianbao("annotate", "pull", "--project", "stop", "--out", str(out), env=env)
        assert pulled.returncode == 0, pulled.stderr
    (snapshot,) = out.iterdir()
    before = snapshot.read_bytes()
    for command in (["pull", "--project", "stop", "--out", str(out)], ["push", str(seeds[2])]):
        down = _one_line(run_nianbao("annotate", *command, "--project", "stop", env=env))
        assert f"cannot reach Label Studio at {url}" in down and "Connection refused" in down
    assert list(out.iterdir()) == [snapshot] and snapshot.read_bytes() == before


def test_a_pull_cut_short_leaves_no_partial_snapshot(env, seeds, tmp_path):
    import resource
    import signal
    import subprocess

    from conftest import nianbao_command

    assert run_nianbao("annotate", "push", str(seeds[2]), "--project", "cut").returncode == 0
    ls = connect()
    (task,) = _tasks("cut")
    _annotate(ls, task, ["NOISE"] * len(task["data"]["lines"]))

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    cut = subprocess.run(
        [*nianbao_command(), "annotate", "pull", "--project", "cut", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=small_files,
    )
    assert "cannot write the snapshot" in _one_line(cut) and "File too large" in cut.stderr
    assert list(tmp_path.iterdir()) == []  # nothing half-written, under any name
    whole = run_nianbao("annotate", "pull", "--project", "cut", "--out", str(tmp_path))
    assert whole.returncode == 0
    (doc,) = load_annotated(tmp_path)
    assert doc.labels == ["NOISE"] * len(task["data"]["lines"])


def test_an_annotator_editing_while_pulls_run_loses_nothing(env, seeds, tmp_path):
    import threading

    assert run_nianbao("annotate", "push", str(seeds[4]), "--project", "busy").returncode == 0
    ls = connect()
    (task,) = _tasks("busy")
    n = len(task["data"]["lines"])
    lines = [
        type("L", (), {"no": int(x["no"]), "text": x["text"]})() for x in task["data"]["lines"]
    ]
    annotation = ls.annotations.create(
        id=task["id"], result=result_items(lines, ["NOISE"] * n), lead_time=1.0
    )
    pulls: list[int] = []
    stop = threading.Event()

    def keep_pulling() -> None:
        while not stop.is_set():
            result = run_nianbao("annotate", "pull", "--project", "busy", "--out", str(tmp_path))
            pulls.append(result.returncode)

    puller = threading.Thread(target=keep_pulling)
    puller.start()
    edits = []
    for i in range(12):  # the annotator keeps correcting while snapshots are taken
        labels = ["NOISE"] * n
        labels[i] = "HEADING"
        ls.annotations.update(id=annotation.id, result=result_items(lines, labels))
        edits.append(labels)
        time.sleep(0.4)
    stop.set()
    puller.join()
    assert pulls and set(pulls) == {0}
    first = sorted(tmp_path.iterdir())[0].read_bytes()
    final = run_nianbao("annotate", "pull", "--project", "busy", "--out", str(tmp_path))
    assert final.returncode == 0
    (doc,) = load_annotated(tmp_path)
    assert doc.labels == edits[-1]  # the last correction is what training reads
    assert sorted(tmp_path.iterdir())[0].read_bytes() == first  # earlier snapshots untouched
    for snapshot in tmp_path.iterdir():
        json.loads(snapshot.read_text(encoding="utf-8"))  # every one whole
    again = run_nianbao("annotate", "push", str(seeds[4]), "--project", "busy")
    assert again.returncode == 0
    kept = _task(ls, task["id"])["annotations"]
    assert len(kept) == 1 and kept[0]["result"] == result_items(lines, edits[-1])
