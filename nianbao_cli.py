"""The `nianbao` command: a thin layer over the packages (../shared/spec/cli.md).

Misuse (no such path, unknown option) exits 2 with one line on stderr. A document that
cannot be read gets its own error record and the run goes on; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from model.read import SUPPORTED_SUFFIXES
from model.settings import SettingsError
from serving.batch import default_jobs


class UsageError(Exception):
    """Misuse of the command: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage dump
        raise UsageError(message)


def main(argv: list[str] | None = None) -> int:
    try:
        parser = _build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return 2
        return args.run(args)
    except (UsageError, SettingsError) as e:
        print(f"nianbao: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nianbao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`nianbao label ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nianbao", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(parser_class=_Parser)

    p = sub.add_parser("extract", help="extract the reports of each document (schema.md)")
    _paths(p)
    p.add_argument(
        "-o",
        "--output",
        help="x.jsonl, or x.parquet / x.csv for one row per report (default: stdout);"
        " an existing output is resumed: documents already in it are not done again",
    )
    _model(p)
    p.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        help="worker processes (default: all cores; fewer when there are few documents)",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on this Dask scheduler (tcp://host:8786) instead of local processes",
    )
    _limits_and_redact(p)
    p.set_defaults(run=_cmd_extract)

    p = sub.add_parser("label", help="tag every non-blank line of each document")
    _paths(p)
    p.add_argument("-o", "--output", help="write JSONL here instead of stdout")
    _model(p)
    _limits_and_redact(p)
    p.set_defaults(run=_cmd_label)

    p = sub.add_parser("annotate", help="the Label Studio loop: server, push, pull")
    annotate = p.add_subparsers(parser_class=_Parser)
    q = annotate.add_parser("server", help="run Label Studio on 127.0.0.1 until interrupted")
    q.add_argument(
        "--data-dir",
        default=".label-studio",
        help="its database and files (default: .label-studio)",
    )
    q.add_argument("--port", type=int, default=8080)
    q.set_defaults(run=_cmd_annotate_server)
    q = annotate.add_parser("push", help="send documents with the model's predictions")
    _paths(q)
    q.add_argument(
        "--project", required=True, help="Label Studio project title (created if missing)"
    )
    _model(q)
    q.add_argument(
        "--ml-backend",
        metavar="URL",
        help="connect this `nianbao serve` to the project, so new tasks get predictions",
    )
    q.set_defaults(run=_cmd_annotate_push)
    q = annotate.add_parser("pull", help="snapshot the annotated tasks into annotations/data")
    q.add_argument("--project", required=True, help="Label Studio project title")
    q.add_argument("--out", help="snapshot folder (default: annotations/data)")
    q.set_defaults(run=_cmd_annotate_pull)

    p = sub.add_parser("serve", help="the HTTP service: the Label Studio ML backend")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9090)
    _model(p)
    p.set_defaults(run=_cmd_serve)

    p = sub.add_parser("train", help="train a model version from the annotated documents")
    _annotations(p)
    p.add_argument("--out", help="model directory to write (default: training/models/VERSION)")
    p.add_argument(
        "--promote",
        action="store_true",
        help="ship the new model, only if its honest scorecard is not worse",
    )
    p.set_defaults(run=_cmd_train)

    p = sub.add_parser(
        "evaluate",
        help="the honest scorecard: every real document scored by a model that never saw it",
    )
    _annotations(p)
    p.add_argument("--model", help="with --fixed: the model to score (default: the shipped one)")
    p.add_argument(
        "--fixed",
        action="store_true",
        help="score a model as it is on every real document, without retraining"
        " (documents it was trained on are named: their scores are not held out)",
    )
    p.add_argument("--out", help="write scorecard.json and the PNGs to this folder")
    p.add_argument("--learning-curve", action="store_true", help="also compute the learning curve")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=_cmd_evaluate)
    return parser


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or globs")


def _model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model directory (default: the shipped model)")


def _limits_and_redact(p: argparse.ArgumentParser) -> None:
    from model.limits import Limits

    limits = Limits.from_settings()
    p.add_argument(
        "--max-mb",
        type=float,
        default=limits.max_mb,
        help=f"larger files get an error record (default {limits.max_mb:g}; NIANBAO_MAX_MB)",
    )
    p.add_argument(
        "--max-lines",
        type=int,
        default=limits.max_lines,
        help=f"documents with more lines get an error record (default {limits.max_lines};"
        " NIANBAO_MAX_LINES)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=limits.seconds,
        metavar="SECONDS",
        help=f"per document (default {limits.seconds:g}; NIANBAO_TIME_LIMIT)",
    )
    p.add_argument(
        "--redact",
        action="store_true",
        help="mask mobile numbers and e-mail addresses in all output text",
    )


def _limits(args: argparse.Namespace):
    from model.limits import Limits

    if args.max_mb <= 0 or args.max_lines <= 0 or args.time_limit <= 0:
        raise UsageError("--max-mb, --max-lines and --time-limit must be positive")
    return Limits(max_mb=args.max_mb, max_lines=args.max_lines, seconds=args.time_limit)


def _annotations(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--annotations",
        nargs="+",
        metavar="DIR",
        help="folders of Label Studio exports (default: annotations/data and"
        " ../shared/annotations, every folder the shipped model is trained on)",
    )
    p.add_argument(
        "--jobs", type=int, default=default_jobs(), help="processes training the fold models"
    )


# --- inputs -------------------------------------------------------------------------


def expand_inputs(patterns: list[str]) -> list[Path]:
    """Files, folders (recursively, supported suffixes only) and globs, in a stable order."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif path.exists():
            found.append(path)
        elif glob.has_magic(pattern):
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            if not matches:
                raise UsageError(f"no file matches {pattern}")
            found += [m for m in matches if m.is_file()]
        else:
            raise UsageError(f"no such file or directory: {pattern}")
    return list(dict.fromkeys(found))


def _open_output(path: str | None) -> TextIO:
    if path is None:
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror}") from e


def _load_labeller(model_dir: str | None):
    from model.labeller import load_model

    try:
        return load_model(model_dir)
    except FileNotFoundError as e:
        raise UsageError(str(e)) from e


# --- commands -----------------------------------------------------------------------


def _cmd_label(args: argparse.Namespace) -> int:
    from serving.redact import redact

    paths = expand_inputs(args.paths)
    labeller = _load_labeller(args.model)
    limits = _limits(args)
    failed = 0
    out = _open_output(args.output)
    try:
        for path in paths:
            try:
                records = _label_records(path, labeller, limits)
            except Exception as e:  # one bad document must not cost the others their results
                failed += 1
                _report_failure(out, path, _one_line_error(e))
                continue
            for record in records:
                record = redact(record) if args.redact else record
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return _summary(len(paths), failed)


def _cmd_extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from serving.batch import extract_all, labeller_for, read_job
    from serving.redact import redact
    from serving.tabular import report_rows, write_table

    paths = expand_inputs(args.paths)
    suffix = Path(args.output).suffix.lower() if args.output else ".jsonl"
    if suffix not in (".jsonl", ".json", ".parquet", ".csv"):
        raise UsageError(f"unknown output format {suffix!r}: use .jsonl, .parquet or .csv")
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    limits = _limits(args)
    try:
        version = labeller_for(args.model).version
    except FileNotFoundError as e:
        raise UsageError(str(e)) from e
    tabular = suffix in (".parquet", ".csv")
    # A table is written whole at the end; until then its records go to a journal.
    journal = _records_file(args.output + ".partial.jsonl" if tabular else args.output)
    done = journal.done if journal else {}
    if journal and (done or journal.dropped_partial):
        _note_resume(journal, version)
    progress = tqdm(
        total=len(paths),
        desc="nianbao extract",
        unit="doc",
        file=sys.stderr,
        disable=len(paths) < 2 or None,
        leave=False,
    )
    failed = 0

    def to_do():
        nonlocal failed
        for path in paths:
            job = read_job(path, limits)
            earlier = done.get((job.path, job.sha256))
            if earlier is None:
                yield job
            else:  # finished by an earlier run of this command
                failed += bool(earlier["error"])
                progress.update()

    records = extract_all(to_do(), len(paths), args.model, limits, args.jobs, args.dask)
    try:
        for record in records:
            progress.update()
            if record["error"]:
                failed += 1
                print(f"nianbao: {record['source']['path']}: {record['error']}", file=sys.stderr)
            if args.redact:
                record = redact(record)
            if journal:
                journal.append(record)
            else:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:  # the Dask scheduler cannot be reached, or the output disk is full
        raise UsageError(f"{type(e).__name__}: {e}") from e
    finally:
        progress.close()
        if journal:
            journal.close()
    if tabular:
        write_table((row for r in journal.records() for row in report_rows(r)), args.output)
        journal.remove()
    return _summary(len(paths), failed)


def _records_file(path: str | None):
    from serving.records_file import RecordsFile, RecordsFileError

    if path is None:
        return None
    try:
        return RecordsFile(path)
    except RecordsFileError as e:
        raise UsageError(str(e)) from e
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror}") from e


def _note_resume(journal, version: str) -> None:
    if journal.dropped_partial:
        print(
            f"nianbao: {journal.path}: dropped the half-written last record of an interrupted run",
            file=sys.stderr,
        )
    older = sum(1 for d in journal.done.values() if d["model_version"] != version)
    print(
        f"nianbao: {journal.path}: resuming; {len(journal.done)} documents already done"
        + (f", {older} of them by another model (delete the file to redo them)" if older else ""),
        file=sys.stderr,
    )


def _label_records(path: Path, labeller, limits) -> list[dict]:
    from model.pipeline import label_bytes
    from model.read import ReadError
    from serving.batch import read_job

    job = read_job(path, limits)  # the size limit is checked before the file is read
    if job.data is None:
        raise ReadError(job.read_error)
    return label_bytes(job.data, job.path, labeller, limits)


def _one_line_error(e: Exception) -> str:
    from model.limits import LimitExceeded
    from model.read import ReadError

    if isinstance(e, (ReadError, LimitExceeded)):
        return str(e)
    return f"internal error ({type(e).__name__}): {e}"


def _report_failure(out: TextIO, path: Path, message: str) -> None:
    message = " ".join(message.split())
    out.write(json.dumps({"source": str(path), "error": message}, ensure_ascii=False) + "\n")
    print(f"nianbao: {path}: {message}", file=sys.stderr)


def _summary(total: int, failed: int) -> int:
    if failed:
        print(f"nianbao: {failed} of {total} documents could not be read", file=sys.stderr)
        return 1
    return 0


def _annotated_documents(directories: list[str] | None):
    from training.dataset import load_annotated

    try:
        return load_annotated(directories)
    except (FileNotFoundError, ValueError) as e:
        raise UsageError(str(e)) from e


def _cmd_annotate_server(args: argparse.Namespace) -> int:
    from annotations.server import LabelStudioServer, ServerError
    from model.settings import label_studio_settings

    env = label_studio_settings()
    token = env.api_key.get_secret_value() if env.api_key else None
    user, password = env.username, env.password.get_secret_value() if env.password else None
    if not (token and user and password):
        raise UsageError(
            "set LABEL_STUDIO_API_KEY, LABEL_STUDIO_USERNAME and LABEL_STUDIO_PASSWORD "
            "(the admin account and its API token)"
        )
    server = LabelStudioServer(args.data_dir, args.port, token, user, password)
    try:
        url = server.start()
    except ServerError as e:
        raise UsageError(str(e)) from e
    print(
        f"nianbao: Label Studio at {url} (export LABEL_STUDIO_URL={url}); Ctrl-C stops it",
        file=sys.stderr,
    )
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _loop_client():
    from annotations.loop import LoopError, connect

    try:
        return connect()
    except LoopError as e:
        raise UsageError(str(e)) from e


def _cmd_annotate_push(args: argparse.Namespace) -> int:
    from annotations.loop import LoopError, push

    paths = expand_inputs(args.paths)
    try:
        result = push(
            paths, args.project, _load_labeller(args.model), _loop_client(), args.ml_backend
        )
    except LoopError as e:
        raise UsageError(str(e)) from e
    for message in result.refused:
        print(f"nianbao: refused {message}", file=sys.stderr)
    print(
        f"nianbao: project {args.project!r} (id {result.project_id}): {result.created} tasks "
        f"created, {result.already_there} already there",
        file=sys.stderr,
    )
    return 1 if result.refused else 0


def _cmd_annotate_pull(args: argparse.Namespace) -> int:
    from annotations.loop import SNAPSHOT_DIR, LoopError, pull

    try:
        path = pull(args.project, _loop_client(), Path(args.out) if args.out else SNAPSHOT_DIR)
    except LoopError as e:
        raise UsageError(str(e)) from e
    print(f"nianbao: {'wrote ' + str(path) if path else 'nothing new to pull'}", file=sys.stderr)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from serving.app import create_app

    try:
        app = create_app(args.model)
    except FileNotFoundError as e:  # no model: a usage error before the server starts
        raise UsageError(str(e)) from e
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _honest_scorecard(docs, jobs: int) -> tuple[list, dict]:
    """The generated pages and the honest scorecard of the annotated documents `docs`."""
    from training.evaluate import honest_scorecard
    from training.train import generated_documents

    generated = generated_documents()
    print(
        f"nianbao: scoring every real document held out ({len(docs)} annotated,"
        f" {len(generated)} generated pages in every fold)",
        file=sys.stderr,
    )
    return generated, honest_scorecard(docs, generated, jobs=jobs)


def _cmd_train(args: argparse.Namespace) -> int:
    from training.train import train_labeller
    from training.versions import MODELS_DIR, card_evaluation, promote

    docs = _annotated_documents(args.annotations)
    generated, scorecard = _honest_scorecard(docs, args.jobs)
    labeller = train_labeller(docs, evaluation=card_evaluation(scorecard), extra=generated)
    out_dir = Path(args.out) if args.out else MODELS_DIR / labeller.version
    labeller.save(out_dir)
    _write_scorecard(scorecard, out_dir)
    _print_scorecard(scorecard)
    print(
        f"nianbao: model {labeller.version} trained on {len(docs)} annotated and "
        f"{len(generated)} generated documents, saved to {out_dir}",
        file=sys.stderr,
    )
    if args.promote:
        promoted, message = promote(out_dir)
        print(f"nianbao: {message}", file=sys.stderr)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from training.evaluate import evaluate_fixed, format_summary, learning_curve

    docs = _annotated_documents(args.annotations)
    if args.fixed:
        summary = evaluate_fixed(_load_labeller(args.model), docs)
        if args.json:
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            print(format_summary(summary, "a fixed model, not retrained"))
        return 0
    if args.model:
        raise UsageError("--model is for --fixed: the honest scorecard trains a model per fold")
    generated, scorecard = _honest_scorecard(docs, args.jobs)
    if args.learning_curve:
        print("nianbao: learning curve over the number of real documents", file=sys.stderr)
        scorecard["learning_curve"] = learning_curve(docs, generated, jobs=args.jobs)
    if args.out:
        _write_scorecard(scorecard, Path(args.out))
    if args.json:
        print(json.dumps(scorecard, ensure_ascii=False, indent=2))
    else:
        _print_scorecard(scorecard)
    return 0


def _write_scorecard(scorecard: dict, out: Path) -> None:
    from training.plots import confusion_png, learning_curve_png

    out.mkdir(parents=True, exist_ok=True)
    (out / "scorecard.json").write_text(
        json.dumps(scorecard, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    overall = scorecard["after"]["overall"]
    if "lines" in overall:
        confusion_png(
            {"method": "held-out real documents", **overall["lines"]}, out / "confusion.png"
        )
    if scorecard.get("learning_curve"):
        learning_curve_png(scorecard["learning_curve"], out / "learning_curve.png")


def _print_scorecard(scorecard: dict) -> None:
    from training.evaluate import format_documents, format_labels, format_summary

    print("honest scorecard: " + scorecard["method"])
    print()
    print(format_summary(scorecard["after"], "every real document, held out"))
    print()
    print(format_summary(scorecard["before"], "the same, before the corpus joined training"))
    if "lines" in scorecard["after"]["overall"]:
        print()
        print(format_labels(scorecard["after"]["overall"]))
    print()
    print(format_documents(scorecard["after"]))
    for point in scorecard.get("learning_curve", []):
        shown = ", ".join(f"{k} {v:.4f}" for k, v in point.items() if k != "real_documents")
        print(f"learning curve: {point['real_documents']} real documents -> {shown}")


if __name__ == "__main__":
    sys.exit(main())
