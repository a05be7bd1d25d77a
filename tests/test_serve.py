"""`nianbao serve`: the real service on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import json

import httpx
from conftest import run_nianbao, running_service
from nianbao.annotations.labelstudio import label_config
from nianbao.model.labeller import load_model


def test_extract_answers_the_same_json_as_the_cli(service, seeds):
    for seed in (seeds[0], seeds[1]):
        cli = json.loads(run_nianbao("extract", str(seed)).stdout)
        answer = httpx.post(
            f"{service}/v1/extract",
            timeout=120,
            json={"text": seed.read_text(encoding="utf-8"), "path": str(seed)},
        )
        assert answer.status_code == 200
        assert answer.json() == cli


def test_an_upload_in_gb18030_extracts_like_the_utf8_file(service, seeds):
    cli = json.loads(run_nianbao("extract", str(seeds[4])).stdout)
    raw = seeds[4].read_text(encoding="utf-8").encode("gb18030")
    answer = httpx.post(
        f"{service}/v1/extract", files={"file": ("report.txt", raw)}, timeout=120
    ).json()
    assert answer["source"]["encoding"] == "gb18030"
    assert answer["reports"] == cli["reports"]


def test_label_takes_html_and_answers_one_record_per_line(service):
    html = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>0</td><td>1</td><td>2</td></tr></table></body></html>"
    records = httpx.post(f"{service}/v1/label", json={"html": html}, timeout=60).json()
    assert [(r["line"], r["text"], r["label"]) for r in records] == [
        (1, "一、总体情况", "HEADING"),
        (2, "规章\t0\t1\t2", "TABLE_ROW"),
    ]


def test_model_health_and_errors_answer_json_never_a_traceback(service):
    assert httpx.get(f"{service}/health").json()["status"] == "UP"
    model = httpx.get(f"{service}/v1/model").json()
    assert model["version"] == load_model().version and "HEADING" in model["labels"]
    missing = httpx.get(f"{service}/v1/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"error": "no such route"}
    binary = httpx.post(f"{service}/v1/extract", files={"file": ("x.html", b"\x00\x01PK" * 50)})
    assert binary.status_code == 422 and binary.json() == {
        "error": "the file is binary, not text or HTML"
    }
    shape = httpx.post(f"{service}/v1/extract", json={"txet": "typo"})
    assert shape.status_code == 422 and "error" in shape.json()
    not_json = httpx.post(
        f"{service}/v1/label", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422 and "Traceback" not in not_json.text


def test_a_body_over_the_limit_gets_413_and_an_api_key_guards_all_but_health(seeds):
    limits = {"NIANBAO_MAX_BODY_BYTES": "2000", "NIANBAO_API_KEY": "s3cret-key"}
    with running_service(limits) as url:
        headers = {"X-API-Key": "s3cret-key"}
        big = httpx.post(
            f"{url}/v1/extract",
            json={"text": seeds[0].read_text(encoding="utf-8")},
            headers=headers,
        )
        assert big.status_code == 413 and "larger than 2000 bytes" in big.json()["error"]
        assert httpx.get(f"{url}/v1/model").status_code == 401
        assert httpx.get(f"{url}/v1/model", headers=headers).status_code == 200
        assert httpx.get(f"{url}/health").status_code == 200


def test_a_promoted_model_is_picked_up_without_restart_or_failed_requests(tmp_path, seeds):
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from nianbao.model.labeller import SHIPPED_MODEL
    from nianbao.training.versions import promote

    served = tmp_path / "served"
    shutil.copytree(SHIPPED_MODEL, served)
    with running_service(model_dir=served) as url:
        before = httpx.get(f"{url}/v1/model").json()["version"]
        newer = tmp_path / "newer"
        shutil.copytree(SHIPPED_MODEL, newer)
        card = json.loads((newer / "model.json").read_text(encoding="utf-8"))
        card["version"] = "crf-test-promoted"
        (newer / "model.json").write_text(json.dumps(card), encoding="utf-8")
        text = seeds[3].read_text(encoding="utf-8")
        with ThreadPoolExecutor(4) as pool:
            busy = [
                pool.submit(httpx.post, f"{url}/v1/extract", json={"text": text}, timeout=120)
                for _ in range(8)
            ]
            ok, _ = promote(newer, served)
            statuses = [f.result().status_code for f in busy]
        assert ok and statuses == [200] * 8
        assert before != "crf-test-promoted"
        assert httpx.get(f"{url}/v1/model").json()["version"] == "crf-test-promoted"


def test_openapi_is_published_and_the_webhook_records_corrections(service):
    assert httpx.get(f"{service}/docs").status_code == 200
    assert "/v1/extract" in httpx.get(f"{service}/openapi.json").json()["paths"]
    event = {
        "action": "ANNOTATION_CREATED",
        "annotation": {"id": 1, "result": []},
        "task": {"id": 7, "data": {}},
        "project": {"id": 3},
    }
    recorded = httpx.get(f"{service}/health").json()["corrections_recorded"]
    answer = httpx.post(f"{service}/webhook", json=event)
    assert answer.status_code == 201 and answer.json() == {"status": "ok"}
    assert httpx.get(f"{service}/health").json()["corrections_recorded"] == recorded + 1
    setup = httpx.post(
        f"{service}/setup", json={"project": "3.1795328541", "schema": label_config()}
    )
    assert setup.json()["model_version"] == load_model().version


def test_docs_show_the_typed_request_and_response_bodies(service):
    spec = httpx.get(f"{service}/openapi.json").json()
    for path in ("/v1/extract", "/v1/label"):
        post = spec["paths"][path]["post"]
        content = post["requestBody"]["content"]
        assert set(content) == {"application/json", "multipart/form-data"}
        assert "file" in content["multipart/form-data"]["schema"]["properties"]
        assert {"text", "html"} <= set(content["application/json"]["schema"]["properties"])
        assert {"200", "413", "422"} <= set(post["responses"])
    ok = spec["paths"]["/v1/extract"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"].endswith("/DocumentRecord")
    report = spec["components"]["schemas"]["Report"]
    assert {"organization", "tables", "figures", "cell_lines"} <= set(report["properties"])
