"""The service under the faults real deployments meet: clients that send everything before
they read, bodies Label Studio never sends, SIGTERM with requests in flight, callers from
other origins. The real `nianbao serve` on 127.0.0.1 every time."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import nianbao_command, running_service
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.annotations.labelstudio import label_config, task_data
from nianbao.model.lines import split_lines
from nianbao.serving.launch import served

ELEVEN_MB = json.dumps({"text": "年" * (11 * 2**20 // 3 + 1)}).encode()


def _one_line_error(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json")
    assert "\n" not in response.text.strip()
    return response.json()["error"]


def test_a_client_that_sends_the_whole_body_before_reading_reads_the_413(service):
    # Python's urllib: sends the whole body, then reads the answer.
    request = urllib.request.Request(
        f"{service}/v1/extract", data=ELEVEN_MB, headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    assert "larger than 10485760 bytes" in json.loads(refused.value.read())["error"]

    # The same by hand on a socket: every byte sent before one is read.
    host, port = urlsplit(service).hostname, urlsplit(service).port
    with socket.create_connection((host, port), timeout=60) as s:
        head = (
            f"POST /v1/label HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(ELEVEN_MB)}\r\n\r\n"
        )
        s.sendall(head.encode() + ELEVEN_MB)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 413") and b"larger than" in body

    # No declared length (chunked): read up to the bound, then the 413.
    connection = http.client.HTTPConnection(host, port, timeout=60)
    chunks = (ELEVEN_MB[i : i + 2**20] for i in range(0, len(ELEVEN_MB), 2**20))
    connection.request(
        "POST",
        "/v1/extract",
        body=chunks,
        headers={"Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 413 and "larger than" in json.loads(response.read())["error"]
    connection.close()
    assert httpx.get(f"{service}/health").status_code == 200  # and it serves on


def _predict_body(tasks, config=None) -> dict:
    return {
        "tasks": tasks,
        "model_version": "x",
        "project": "1.1795328541",
        "label_config": label_config() if config is None else config,
        "params": {"login": None, "password": None, "context": None},
    }


def test_predict_answers_label_studios_call_and_refuses_what_it_never_sends(service, seeds):
    lines = split_lines(seeds[0].read_text(encoding="utf-8"))[:20]
    task = {"id": 1, "data": task_data("d", "x.txt", "d", lines, "")}
    good = httpx.post(f"{service}/predict", json=_predict_body([task, {"id": 2, "data": {}}]))
    assert good.status_code == 200
    first, empty = good.json()["results"]
    assert len(first["result"]) == 20 and empty["result"] == []

    bad = {
        "an empty label_config": _predict_body([task], config=""),
        "no label_config": {"tasks": [task]},
        "another project's config": _predict_body([task], config="<View><Text/></View>"),
        "tasks that are not a list": _predict_body({"id": 1}),
        "a task without data": _predict_body([{"id": 1, "data": "text"}]),
        "lines of the wrong type": _predict_body([{"id": 1, "data": {"lines": "a line"}}]),
        "lines without text": _predict_body([{"id": 1, "data": {"lines": [{"no": 1}]}}]),
    }
    for why, body in bad.items():
        answer = httpx.post(f"{service}/predict", json=body, timeout=30)
        assert answer.status_code == 422, why
        assert _one_line_error(answer), why
    for route in ("/predict", "/setup", "/webhook"):
        answer = httpx.post(f"{service}{route}", content=b"{not json")
        assert answer.status_code == 422 and "not JSON" in _one_line_error(answer)
    setup = httpx.post(f"{service}/setup", json={"project": "1.1", "schema": ""})
    assert setup.status_code == 422 and "schema is missing" in _one_line_error(setup)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "tasks",
                    "data",
                    "lines",
                    "no",
                    "text",
                    "span",
                    "id",
                    "action",
                    "task",
                    "project",
                    "label_config",
                    "schema",
                    "raw",
                ]
            )
            | st.text(max_size=4),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=150,
    deadline=10000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    route=st.sampled_from(["/predict", "/setup", "/webhook"]),
    body=json_values,
    with_config=st.booleans(),
)
def test_the_backend_answers_any_json_with_an_answer_or_a_one_line_4xx(
    service, route, body, with_config
):
    if with_config and isinstance(body, dict):
        body = {**body, "label_config": label_config(), "schema": label_config()}
    answer = httpx.post(f"{service}{route}", json=body, timeout=30)
    assert answer.status_code in (200, 201, 422), answer.text
    if answer.status_code == 422:
        assert _one_line_error(answer)


def _slow_document(lines: int = 12_000) -> str:
    """A long report: every line distinct, so no cache makes it quick (about a second)."""
    rows = [f"第{i}项 本年新收政府信息公开申请数量 {i} {i * 7 % 13} 件" for i in range(lines)]
    return "\n".join(["2023年某某县人民政府政府信息公开工作年度报告", *rows])


def test_sigterm_lets_requests_in_flight_finish_refuses_new_ones_and_exits_0(tmp_path):
    text = _slow_document()
    with served(nianbao_command(), log=tmp_path / "serve.log") as running:
        statuses: list[int] = []

        def post() -> None:
            answer = httpx.post(f"{running.url}/v1/label", json={"text": text}, timeout=120)
            statuses.append(answer.status_code)

        in_flight = [threading.Thread(target=post) for _ in range(3)]
        for thread in in_flight:
            thread.start()
        time.sleep(0.5)  # the requests are being worked on
        running.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # new requests are refused soon after
            try:
                answer = httpx.get(f"{running.url}/health", timeout=5)
                assert answer.status_code == 200  # accepted before the socket closed
            except httpx.ConnectError:
                break  # the listening socket is closed
            except httpx.TransportError:
                pass  # accepted, then closed unanswered: refused too
            time.sleep(0.05)
        else:
            pytest.fail("the service still accepts connections 5 s after SIGTERM")
        assert statuses == []  # while the first requests are still in flight
        for thread in in_flight:
            thread.join(timeout=120)
        assert statuses == [200, 200, 200]
        assert running.process.wait(timeout=60) == 0
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and "listening on http://127.0.0.1:" in log


def test_no_cors_unless_configured_and_the_api_key_never_reaches_the_log(tmp_path, seeds):
    origin = {"Origin": "https://example.org"}
    key = "k3y-that-must-not-leak-0123456789"
    log = tmp_path / "serve.log"
    env = {"NIANBAO_API_KEY": key}
    with served(nianbao_command(), env, log=log) as running:
        headers = {"X-API-Key": key, **origin}
        answer = httpx.get(f"{running.url}/v1/model", headers=headers)
        assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
        wrong = httpx.get(f"{running.url}/v1/model", headers={"X-API-Key": key[:-1] + "X"})
        assert wrong.status_code == 401 and _one_line_error(wrong)
        name = str(tmp_path / "written-by-the-service.txt")
        upload = httpx.post(
            f"{running.url}/v1/extract",
            files={"file": (name, seeds[0].read_bytes())},
            headers={"X-API-Key": key},
            timeout=60,
        )
        assert upload.status_code == 200 and upload.json()["source"]["path"] == name
        assert not (tmp_path / "written-by-the-service.txt").exists()  # a name, never a path
        method = httpx.get(f"{running.url}/v1/extract", headers={"X-API-Key": key})
        assert method.status_code == 405 and _one_line_error(method)
    assert key not in log.read_text(encoding="utf-8")

    with running_service({"NIANBAO_CORS_ORIGINS": "https://example.org"}) as url:
        answer = httpx.get(f"{url}/v1/model", headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://example.org"
        other = httpx.get(f"{url}/v1/model", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


@pytest.fixture(scope="module")
def newer_model(tmp_path_factory):
    """A model other than the shipped one (trained on two annotated pages), saved."""
    from nianbao.training.dataset import load_annotated
    from nianbao.training.real_documents import OWN_ANNOTATIONS
    from nianbao.training.train import train_labeller

    docs = load_annotated([OWN_ANNOTATIONS])[:2]
    folder = tmp_path_factory.mktemp("newer")
    train_labeller(docs, {"max_iterations": 20}).save(folder)
    return folder


def _copy_of_shipped(folder):
    import shutil

    from nianbao.model.labeller import SHIPPED_MODEL

    shutil.copytree(SHIPPED_MODEL, folder)
    return folder


def test_a_promotion_cut_before_its_card_leaves_the_old_model(tmp_path, newer_model):
    """The state a promotion killed between its model file and its card leaves."""
    import os
    import shutil

    from nianbao.model.labeller import CARD_FILE, CRF_FILE, PREVIOUS_CRF_FILE, load_model

    served = _copy_of_shipped(tmp_path / "served")
    old = load_model(served)
    os.link(served / CRF_FILE, served / PREVIOUS_CRF_FILE)
    shutil.copy(newer_model / CRF_FILE, served / ".crf.tmp")
    os.replace(served / ".crf.tmp", served / CRF_FILE)  # ... and here the promotion died
    cut = load_model(served)
    assert cut.version == old.version and cut.model == old.model
    shutil.copy(newer_model / CARD_FILE, served / ".card.tmp")
    os.replace(served / ".card.tmp", served / CARD_FILE)  # had it gone on
    assert load_model(served).version == load_model(newer_model).version


def test_a_promotion_during_shutdown_serves_the_old_or_the_new_model(tmp_path, newer_model):
    from nianbao.model.labeller import load_model
    from nianbao.training.versions import promote

    served_dir = _copy_of_shipped(tmp_path / "served")
    old, new = load_model(served_dir).version, load_model(newer_model).version
    card = json.loads((newer_model / "model.json").read_text(encoding="utf-8"))
    card["evaluation"] = load_model(served_dir).card["evaluation"]  # scores not worse
    (newer_model / "model.json").write_text(json.dumps(card), encoding="utf-8")
    text = _slow_document(6000)
    with served(nianbao_command(), model_dir=served_dir) as running:
        versions: list[str] = []

        def post() -> None:
            answer = httpx.post(f"{running.url}/v1/extract", json={"text": text}, timeout=120)
            versions.append(answer.json()["model_version"])

        in_flight = [threading.Thread(target=post) for _ in range(3)]
        for thread in in_flight:
            thread.start()
        time.sleep(0.3)
        running.process.send_signal(signal.SIGTERM)
        ok, why = promote(newer_model, served_dir)
        for thread in in_flight:
            thread.join(timeout=120)
        assert running.process.wait(timeout=60) == 0
    assert ok, why
    assert len(versions) == 3 and set(versions) <= {old, new}
    assert load_model(served_dir).version == new
