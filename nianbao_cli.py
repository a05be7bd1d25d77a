"""The `nianbao` command: a thin layer over the packages (docs/cli.md).

Misuse (no such path, unknown option, a bad setting) exits 2 with one line on stderr. A
document that cannot be read gets its own error record and the run goes on; the exit
status is then 1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from nianbao.model.settings import SettingsError


class UsageError(click.UsageError):
    """Misuse of the command: exit 2 with this one-line message."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # what can I do here: the commands, on stderr, as misuse
        with click.Context(cli, info_name="nianbao") as ctx:
            print(cli.get_help(ctx), file=sys.stderr)
        return 2
    try:
        status = cli.main(args=argv, prog_name="nianbao", standalone_mode=False)
        return status if isinstance(status, int) else 0
    except click.exceptions.Exit as e:  # --help, --version
        return e.exit_code
    except click.ClickException as e:
        print(f"nianbao: error: {e.format_message()}", file=sys.stderr)
        return 2
    except (SettingsError, click.Abort) as e:
        if isinstance(e, click.Abort):
            print("nianbao: interrupted", file=sys.stderr)
            return 130
        print(f"nianbao: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nianbao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`nianbao label ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _job_errors(fn):
    """A library's one-sentence refusal (JobError, LoopError) is a usage error here."""
    import functools

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if isinstance(e, _refusals()):
                raise UsageError(str(e)) from e
            from nianbao.serving.records_file import OutputError

            if isinstance(e, OutputError):  # the run failed, not its call: exit 1
                print(f"nianbao: error: {e}", file=sys.stderr)
                return 1
            raise

    return run


def _refusals() -> tuple[type[Exception], ...]:
    """JobError and LoopError, from whichever of their modules the command loaded: the
    Label Studio SDK takes 0.8 s to import, so `extract` does not import it to name an
    error it cannot raise."""
    places = (("nianbao.serving.corpus", "JobError"), ("nianbao.annotations.loop", "LoopError"))
    return tuple(getattr(sys.modules[m], name) for m, name in places if m in sys.modules)


def _say(message: str) -> None:
    """Progress of long work, on stderr (stdout is the command's output)."""
    print(f"nianbao: {message}", file=sys.stderr, flush=True)


def _default_jobs() -> int:
    from nianbao.serving.batch import default_jobs

    return default_jobs()


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Documentation: docs/cli.md (commands), docs/schema.md (what extract writes),"
    " docs/labels.md (the line labels), docs/annotating.md (correcting in Label Studio).",
)
@click.version_option(package_name="nianbao", message="nianbao %(version)s")
def cli() -> None:
    """Structured data from Chinese government information-disclosure annual reports."""


def paths_argument(fn):
    return click.argument("paths", nargs=-1, required=True, metavar="PATH...")(fn)


def model_option(fn):
    return click.option("--model", metavar="DIR", help="model directory (default: shipped)")(fn)


def worker_options(fn):
    fn = click.option(
        "--dask", metavar="ADDRESS", help="run on this Dask scheduler (tcp://host:8786)"
    )(fn)
    return click.option(
        "--jobs", type=int, default=None, help="worker processes (default: all cores)"
    )(fn)


def limit_options(fn):
    from nianbao.model.settings import Settings

    default = Settings()
    for name, flag, kind, meaning in reversed(
        (
            ("max_mb", "--max-mb", float, "larger files get an error record"),
            ("max_lines", "--max-lines", int, "documents with more lines get an error record"),
            ("time_limit", "--time-limit", float, "seconds per document"),
        )
    ):
        fn = click.option(
            flag,
            name,
            type=click.FloatRange(min=0, min_open=True) if kind is float else click.IntRange(1),
            default=None,
            help=f"{meaning} (default {getattr(default, name):g}; NIANBAO_{name.upper()})",
        )(fn)
    return click.option("--redact", is_flag=True, help="mask mobile numbers and e-mails")(fn)


def run_options(fn):
    """What every command over documents takes (the model, the workers, the limits, the
    masking), handed to it as one `Run`; its refusals become one-line usage errors."""
    import functools

    @functools.wraps(fn)
    def with_run(*args, model, jobs, dask, max_mb, max_lines, time_limit, redact, **kwargs):
        from nianbao.serving.corpus import Run

        limits = _limits(max_mb, max_lines, time_limit)
        jobs = _default_jobs() if jobs is None else jobs
        return fn(*args, run=Run(model, limits, jobs, dask, redact), **kwargs)

    return model_option(worker_options(limit_options(_job_errors(with_run))))


def _limits(max_mb, max_lines, time_limit):
    from nianbao.model.limits import Limits

    defaults = Limits.from_settings()
    return Limits(
        max_mb=max_mb or defaults.max_mb,
        max_lines=max_lines or defaults.max_lines,
        seconds=time_limit or defaults.seconds,
    )


def _exit(summary) -> int:
    if summary.line():
        print(f"nianbao: {summary.line()}", file=sys.stderr)
        return 1
    return 0


# --- the documents ----------------------------------------------------------------------


@cli.command()
@paths_argument
@click.option(
    "-o",
    "--output",
    help="x.jsonl, or x.parquet / x.csv for one row per report (default: stdout);"
    " an existing output is resumed: documents already in it are not done again",
)
@run_options
def extract(paths, output, run) -> int:
    """Extract the reports of each document (one JSON record per document)."""
    from nianbao.serving.corpus import expand_inputs, extract_corpus

    return _exit(extract_corpus(expand_inputs(paths), output, run))


@cli.command()
@paths_argument
@click.option(
    "-o",
    "--output",
    help="write JSONL here instead of stdout; an existing output is resumed: documents"
    " already in it are not labelled again (the last one is, its lines may have been cut)",
)
@run_options
def label(paths, output, run) -> int:
    """Tag every non-blank line of each document (one JSON record per line)."""
    from nianbao.serving.corpus import expand_inputs, label_corpus

    return _exit(label_corpus(expand_inputs(paths), output, run))


@cli.command()
@paths_argument
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    metavar="DIR",
    help="the dataset's folder: reports/cells/checks/copies .parquet, bodies.csv,"
    " dataset.duckdb, summary.html; run again, it extracts only documents with no record",
)
@run_options
def dataset(paths, out_dir, run) -> int:
    """One checked panel of reports (a row per body and year) from documents and extract JSONL."""
    from nianbao.serving.dataset import build_dataset

    summary = build_dataset(list(paths), Path(out_dir), run)
    print(f"nianbao: {summary.line()}", file=sys.stderr)
    return 0


# --- the annotation loop ------------------------------------------------------------------


@cli.group()
def annotate() -> None:
    """The Label Studio loop: server, push, pull."""


@annotate.command()
@click.option("--data-dir", default=".label-studio", help="its database and files")
@click.option("--port", type=int, default=8080)
def server(data_dir, port) -> int:
    """Run Label Studio on 127.0.0.1 until interrupted."""
    from nianbao.annotations.server import LabelStudioServer, ServerError
    from nianbao.model.settings import label_studio_settings

    env = label_studio_settings()
    token = env.api_key.get_secret_value() if env.api_key else None
    password = env.password.get_secret_value() if env.password else None
    if not (token and env.username and password):
        raise UsageError(
            "set LABEL_STUDIO_API_KEY, LABEL_STUDIO_USERNAME and LABEL_STUDIO_PASSWORD "
            "(the admin account and its API token)"
        )
    try:
        running = LabelStudioServer(data_dir, port, token, env.username, password)
        url = running.start()
    except ServerError as e:
        raise UsageError(str(e)) from e
    print(
        f"nianbao: Label Studio at {url} (export LABEL_STUDIO_URL={url}); Ctrl-C stops it",
        file=sys.stderr,
    )
    try:
        running.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0


@annotate.command()
@paths_argument
@click.option("--project", required=True, help="Label Studio project title (created if missing)")
@model_option
@click.option("--ml-backend", metavar="URL", help="connect this `nianbao serve` to the project")
@_job_errors
def push(paths, project, model, ml_backend) -> int:
    """Send documents with the model's predictions."""
    from nianbao.annotations import loop
    from nianbao.serving.corpus import expand_inputs

    result = loop.push(
        expand_inputs(paths), project, _load_model(model), loop.connect(), ml_backend
    )
    for message in result.refused:
        print(f"nianbao: refused {message}", file=sys.stderr)
    print(
        f"nianbao: project {project!r} (id {result.project_id}): {result.created} tasks "
        f"created, {result.already_there} already there",
        file=sys.stderr,
    )
    return 1 if result.refused else 0


@annotate.command()
@click.option("--project", required=True, help="Label Studio project title")
@click.option("--out", help="snapshot folder (default: annotations/data)")
@_job_errors
def pull(project, out) -> int:
    """Snapshot the annotated tasks into annotations/data."""
    from nianbao.annotations import loop

    path = loop.pull(project, loop.connect(), Path(out) if out else loop.SNAPSHOT_DIR)
    print(f"nianbao: {'wrote ' + str(path) if path else 'nothing new to pull'}", file=sys.stderr)
    return 0


# --- the service --------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", type=int, default=9090)
@model_option
def serve(host, port, model) -> int:
    """The HTTP service and the Label Studio ML backend."""
    from nianbao.model.settings import settings
    from nianbao.serving.app import create_app
    from nianbao.serving.launch import run

    try:
        app = create_app(model)
    except FileNotFoundError as e:  # no model: a usage error before the server starts
        raise UsageError(str(e)) from e
    run(app, host, port, settings().shutdown_seconds)
    return 0


# --- training -----------------------------------------------------------------------------


def annotations_options(fn):
    fn = click.option("--jobs", type=int, default=None, help="processes training the fold models")(
        fn
    )
    return click.option(
        "--annotations",
        multiple=True,
        metavar="DIR",
        help="a folder of Label Studio exports, repeatable (default: annotations/data and"
        " ../shared/annotations, every folder the shipped model is trained on)",
    )(fn)


@cli.command()
@annotations_options
@click.option("--out", help="model directory to write (default: training/models/VERSION)")
@click.option("--promote", is_flag=True, help="ship it, only if its honest scorecard is not worse")
def train(annotations, jobs, out, promote) -> int:
    """Train a model version from the annotated documents."""
    from nianbao.training.evaluate import format_scorecard
    from nianbao.training.train import train_version
    from nianbao.training.versions import promote as promote_model

    docs = _annotated_documents(annotations)
    print(f"nianbao: scoring every real document held out ({len(docs)} annotated)", file=sys.stderr)
    labeller, scorecard, out_dir = train_version(
        docs, Path(out) if out else None, _jobs(jobs), _say
    )
    print(format_scorecard(scorecard))
    print(
        f"nianbao: model {labeller.version} trained on {len(docs)} annotated documents "
        f"and the generated pages, saved to {out_dir}",
        file=sys.stderr,
    )
    if promote:
        print(f"nianbao: {promote_model(out_dir)[1]}", file=sys.stderr)
    return 0


@cli.command()
@annotations_options
@click.option("--model", metavar="DIR", help="with --fixed: the model to score (default: shipped)")
@click.option("--fixed", is_flag=True, help="score a model as it is, without retraining")
@click.option("--out", help="write scorecard.json and the PNGs to this folder")
@click.option("--learning-curve", is_flag=True, help="also compute the learning curve")
@click.option("--json", "as_json", is_flag=True, help="print the scorecard as JSON")
def evaluate(annotations, jobs, model, fixed, out, learning_curve, as_json) -> int:
    """The honest scorecard: every real document scored by a model that never saw it."""
    from nianbao.training import evaluate as scoring
    from nianbao.training.train import generated_documents

    docs = _annotated_documents(annotations)
    if fixed:
        summary = scoring.evaluate_fixed(_load_model(model), docs)
        print(
            json.dumps(summary, ensure_ascii=False, indent=2)
            if as_json
            else scoring.format_summary(summary, "a fixed model, not retrained")
        )
        return 0
    if model:
        raise UsageError("--model is for --fixed: the honest scorecard trains a model per fold")
    generated = generated_documents()
    print(
        f"nianbao: scoring every real document held out ({len(docs)} annotated, "
        f"{len(generated)} generated pages in every fold)",
        file=sys.stderr,
    )
    scorecard = scoring.honest_scorecard(docs, generated, jobs=_jobs(jobs), notify=_say)
    if learning_curve:
        print("nianbao: learning curve over the number of real documents", file=sys.stderr)
        scorecard["learning_curve"] = scoring.learning_curve(
            docs, generated, jobs=_jobs(jobs), notify=_say
        )
    if out:
        scoring.write_scorecard(scorecard, Path(out))
    print(
        json.dumps(scorecard, ensure_ascii=False, indent=2)
        if as_json
        else scoring.format_scorecard(scorecard)
    )
    return 0


def _jobs(jobs: int | None) -> int:
    return _default_jobs() if jobs is None else jobs


def _load_model(model_dir: str | None):
    from nianbao.model.labeller import load_model

    try:
        return load_model(model_dir)
    except FileNotFoundError as e:
        raise UsageError(str(e)) from e


def _annotated_documents(directories):
    from nianbao.training.dataset import load_annotated

    try:
        return load_annotated(list(directories) or None)
    except (FileNotFoundError, ValueError) as e:
        raise UsageError(str(e)) from e


if __name__ == "__main__":
    sys.exit(main())
