"""Batch runs: every core, a Dask cluster, and runs that are killed and started again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLES, ROOT, nianbao_command, run_nianbao


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """72 distinct documents: the bundled pages, each in eight numbered copies."""
    folder = tmp_path_factory.mktemp("corpus")
    for copy in range(8):
        for page in sorted(EXAMPLES.glob("*.txt")):
            text = page.read_text(encoding="utf-8")
            (folder / f"{page.stem}_{copy}.txt").write_text(
                f"{text}\n抄送:第{copy}份\n", encoding="utf-8"
            )
    return folder


@pytest.fixture(scope="module")
def one_core_run(corpus, tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("one") / "out.jsonl"
    result = run_nianbao("extract", str(corpus), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8").splitlines()


def _paths(lines: list[str]) -> list[str]:
    return [json.loads(line)["source"]["path"] for line in lines]


def test_the_one_core_run_has_one_record_per_document_in_input_order(corpus, one_core_run):
    assert _paths(one_core_run) == [str(p) for p in sorted(corpus.glob("*.txt"))]
    first = json.loads(one_core_run[0])
    assert first["reports"][0]["year"] == 2020  # seed 000, as in its gold file


def test_two_workers_give_the_one_core_records_in_the_same_order(corpus, one_core_run, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_nianbao("extract", str(corpus), "-o", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_run


def test_a_dask_cluster_gives_the_records_of_the_local_run(corpus, one_core_run, tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "out.jsonl"
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        result = run_nianbao(
            "extract", str(corpus), "-o", str(out), "--dask", cluster.scheduler_address
        )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_run


def test_an_unreachable_dask_scheduler_is_a_one_line_error(seeds, tmp_path):
    result = run_nianbao("extract", str(seeds[0]), "--dask", "tcp://127.0.0.1:9", timeout=120)
    assert result.returncode == 2
    said = result.stderr.strip().splitlines()
    assert said[0] == "nianbao: connecting to the Dask scheduler at tcp://127.0.0.1:9", said
    assert len(said) == 2 and "Traceback" not in result.stderr
    assert said[1].startswith(
        "nianbao: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    )


def _when_records(out: Path, run: subprocess.Popen, at_least: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= at_least:
            return
        time.sleep(0.005)
    raise AssertionError("the run finished before the fault could be made")


def test_a_run_killed_mid_way_resumes_to_exactly_one_record_per_document(
    corpus, one_core_run, tmp_path
):
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen(
        [*nianbao_command(), "extract", str(corpus), "-o", str(out), "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its workers too: kill -9 the whole process group
    )
    _when_records(out, run, 10)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    killed_at = out.read_bytes().count(b"\n")
    assert 10 <= killed_at < len(one_core_run)

    again = run_nianbao("extract", str(corpus), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert "resuming" in again.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_run


def test_a_half_written_last_record_is_dropped_and_done_again(corpus, one_core_run, tmp_path):
    out = tmp_path / "out.jsonl"
    kept = "\n".join(one_core_run[:5]) + "\n"
    out.write_text(kept + one_core_run[5][:200], encoding="utf-8")  # killed inside a write

    result = run_nianbao("extract", str(corpus), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "half-written" in result.stderr
    assert "5 of these 40 documents already done" in result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_run


def test_error_records_are_kept_and_not_done_twice(seeds, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(seeds[0].read_bytes())
    (folder / "b.html").write_bytes(b"\x00\x01binary\x00" * 50)
    out = tmp_path / "out.jsonl"

    first = run_nianbao("extract", str(folder), "-o", str(out))
    second = run_nianbao("extract", str(folder), "-o", str(out))

    assert first.returncode == second.returncode == 1
    assert "2 of these 2 documents already done" in second.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"]["path"] for r in records] == [str(folder / "a.txt"), str(folder / "b.html")]
    assert records[1]["error"] == "the file is binary, not text or HTML"
    assert records[1]["source"]["sha256"]


def test_a_changed_document_is_extracted_again(seeds, tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(seeds[3].read_bytes())
    out = tmp_path / "out.jsonl"
    assert run_nianbao("extract", str(page), "-o", str(out)).returncode == 0
    page.write_bytes(seeds[4].read_bytes())  # the site published a corrected report
    assert run_nianbao("extract", str(page), "-o", str(out)).returncode == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len({r["source"]["sha256"] for r in records}) == 2


def test_an_output_that_is_not_ours_is_left_alone(seeds, tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text("my own notes\n", encoding="utf-8")
    result = run_nianbao("extract", str(seeds[0]), "-o", str(out))
    assert result.returncode == 2
    assert "not a nianbao record" in result.stderr
    assert out.read_text(encoding="utf-8") == "my own notes\n"


def test_an_interrupted_table_run_resumes_from_its_journal(corpus, one_core_run, tmp_path):
    out = tmp_path / "reports.parquet"
    journal = tmp_path / "reports.parquet.partial.jsonl"
    journal.write_text("\n".join(one_core_run[:7]) + "\n", encoding="utf-8")

    result = run_nianbao("extract", str(corpus), "-o", str(out), "--jobs", "1")

    assert result.returncode == 0, result.stderr
    assert "7 of these 40 documents already done" in result.stderr
    assert not journal.exists()
    table = pd.read_parquet(out)
    assert sorted(set(table["source.path"])) == sorted(_paths(one_core_run))


# --- nianbao label: the same ordered, bounded, resumable runs --------------------------------


@pytest.fixture(scope="module")
def one_core_labels(corpus, tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("labels") / "labels.jsonl"
    result = run_nianbao("label", str(corpus), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8").splitlines()


def _label_paths(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(json.loads(line)["source"] for line in lines))


def test_label_on_two_workers_gives_the_one_core_lines_in_the_same_order(
    corpus, one_core_labels, tmp_path
):
    assert _label_paths(one_core_labels) == [str(p) for p in sorted(corpus.glob("*.txt"))]
    out = tmp_path / "labels.jsonl"
    result = run_nianbao("label", str(corpus), "-o", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_labels


def test_a_killed_label_run_resumes_to_every_line_once(corpus, one_core_labels, tmp_path):
    out = tmp_path / "labels.jsonl"
    run = subprocess.Popen(
        [*nianbao_command(), "label", str(corpus), "-o", str(out), "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _when_records(out, run, 1)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    written = out.read_bytes().count(b"\n")
    assert 0 < written < len(one_core_labels), "the run was not killed mid-way"

    again = run_nianbao("label", str(corpus), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert "resuming" in again.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_labels


def test_a_cut_last_document_is_labelled_again(corpus, one_core_labels, tmp_path):
    paths = _label_paths(one_core_labels)
    blocks = [[line for line in one_core_labels if json.loads(line)["source"] == p] for p in paths]
    out = tmp_path / "labels.jsonl"
    three_and_a_half = blocks[0] + blocks[1] + blocks[2] + blocks[3][: len(blocks[3]) // 2]
    out.write_text("\n".join(three_and_a_half) + "\n" + blocks[3][-1][:40], encoding="utf-8")

    result = run_nianbao("label", str(corpus), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "3 of these 40 documents already done" in result.stderr
    assert f"{paths[3]} is labelled again" in result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == one_core_labels


def test_label_leaves_an_output_that_is_not_ours_alone(seeds, tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text('{"my": "notes"}\n', encoding="utf-8")
    result = run_nianbao("label", str(seeds[0]), "-o", str(out))
    assert result.returncode == 2
    assert "not a nianbao label record" in result.stderr
    assert out.read_text(encoding="utf-8") == '{"my": "notes"}\n'


# --- faults: a worker that dies, a Dask worker lost, a full disk ------------------------------


def _dies_on_poison(job, model, limits):
    """extract_job, except that the process working on the bytes of a document named poison
    is killed (its error record, made without the bytes, is made as extract_job makes it)."""
    from nianbao.serving.batch import extract_job

    if "poison" in job.path and job.data is not None:
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_job(job, model, limits)


def test_a_worker_that_dies_on_a_document_costs_it_an_error_record_and_the_run_goes_on(
    corpus, tmp_path
):
    from nianbao.model.limits import Limits
    from nianbao.serving.batch import extract_job, read_job, run_all

    paths = sorted(corpus.glob("*.txt"))[:24]
    poison = tmp_path / "poison.txt"
    poison.write_bytes(paths[0].read_bytes())
    paths.insert(5, poison)
    jobs = [read_job(p, Limits()) for p in paths]
    died = list(run_all(_dies_on_poison, jobs, len(jobs), None, Limits(), n_jobs=2))
    undisturbed = list(run_all(extract_job, jobs, len(jobs), None, Limits(), n_jobs=1))
    assert [r["source"]["path"] for r in died] == [str(p) for p in paths]
    assert "the worker process died on this document (killed by SIGKILL" in died[5]["error"]
    assert died[5]["source"]["sha256"] == jobs[5].sha256  # done: a rerun does not retry it
    assert died[:5] + died[6:] == undisturbed[:5] + undisturbed[6:]


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> tuple[Path, list[str]]:
    """240 distinct documents (a run of a second or more) and their one-core records."""
    folder = tmp_path_factory.mktemp("big")
    for copy in range(48):
        for page in sorted(EXAMPLES.glob("*.txt")):
            text = page.read_text(encoding="utf-8")
            (folder / f"{page.stem}_{copy:02d}.txt").write_text(
                f"{text}\n抄送:第{copy}份\n", encoding="utf-8"
            )
    out = tmp_path_factory.mktemp("big_one") / "out.jsonl"
    result = run_nianbao("extract", str(folder), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return folder, out.read_text(encoding="utf-8").splitlines()


def test_a_worker_killed_mid_run_costs_nothing(big_corpus, tmp_path):
    import psutil

    folder, undisturbed = big_corpus
    out = tmp_path / "out.jsonl"
    run = psutil.Popen(
        [*nianbao_command(), "extract", str(folder), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _when_records(out, run, 5)
    run.children()[0].kill()  # a worker, mid-document
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr
    assert out.read_text(encoding="utf-8").splitlines() == undisturbed


def test_a_dask_worker_lost_mid_run_has_its_tasks_done_elsewhere(big_corpus, tmp_path):
    from distributed import Client, LocalCluster

    folder, undisturbed = big_corpus
    out = tmp_path / "out.jsonl"
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = list(client.run(os.getpid).values())
        run = subprocess.Popen(
            [*nianbao_command(), "extract", str(folder), "-o", str(out)]
            + ["--dask", cluster.scheduler_address],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _when_records(out, run, 5)
        os.kill(pids[0], signal.SIGKILL)  # a worker process, lost with its tasks
        _, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr
    assert out.read_text(encoding="utf-8").splitlines() == undisturbed


def _file_size_limit(limit: int):
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("command", ["extract", "label"])
def test_a_full_output_ends_the_run_with_one_line_keeping_whole_records(
    command, corpus, one_core_run, one_core_labels, tmp_path
):
    out = tmp_path / "out.jsonl"
    full = subprocess.run(
        [*nianbao_command(), command, str(corpus), "-o", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit(300_000),
    )
    assert full.returncode == 1
    assert full.stderr.strip().splitlines()[-1].startswith(f"nianbao: error: cannot write {out}")
    assert "File too large" in full.stderr and "Traceback" not in full.stderr
    kept = out.read_text(encoding="utf-8")
    assert kept.endswith("\n") and len(kept.encode()) <= 300_000
    assert all(json.loads(line) for line in kept.splitlines())  # whole records only

    again = run_nianbao(command, str(corpus), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    expected = one_core_run if command == "extract" else one_core_labels
    assert out.read_text(encoding="utf-8").splitlines() == expected


def test_an_output_that_cannot_be_opened_is_one_line_and_exit_1(seeds, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("mine", encoding="utf-8")
    result = subprocess.run(
        [*nianbao_command(), "extract", str(seeds[0]), "-o", str(not_a_folder / "out.jsonl")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"nianbao: error: cannot write {not_a_folder / 'out.jsonl'}: Not a directory"
    )
    assert not_a_folder.read_text(encoding="utf-8") == "mine"


def test_a_table_that_cannot_be_written_keeps_its_journal_and_the_rerun_writes_it(
    corpus, one_core_run, tmp_path
):
    out = tmp_path / "reports.parquet"
    out.mkdir()  # the table's place is taken by a folder: it cannot be written there
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    blocked = subprocess.run(
        [*nianbao_command(), "extract", str(corpus), "-o", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert blocked.returncode == 1, blocked.stderr
    assert blocked.stderr.strip().splitlines()[-1].startswith(f"nianbao: error: cannot write {out}")
    assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"
    journal = Path(f"{out}.partial.jsonl")
    assert journal.read_text(encoding="utf-8").splitlines() == one_core_run
    (out / "mine.txt").rename(tmp_path / "mine.txt")
    out.rmdir()
    again = run_nianbao("extract", str(corpus), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0 and "resuming" in again.stderr
    assert len(pd.read_parquet(out)) == sum(len(json.loads(r)["reports"]) for r in one_core_run)
    assert not journal.exists()


def test_ctrl_c_stops_a_two_worker_run_in_one_line_and_the_rerun_resumes(big_corpus, tmp_path):
    folder, undisturbed = big_corpus
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen(
        [*nianbao_command(), "extract", str(folder), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    _when_records(out, run, 5)
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends: to the main process and workers
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130
    assert stderr.strip() == "nianbao: interrupted", stderr
    again = run_nianbao("extract", str(folder), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert out.read_text(encoding="utf-8").splitlines() == undisturbed
