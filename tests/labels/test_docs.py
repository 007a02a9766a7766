from pathlib import Path

from farmtrace.commands.labels import render_command
from labels import FORMATS

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "labels.md").read_text()


def test_docs_describe_every_render_option_and_format() -> None:
    options = [opt for param in render_command.params for opt in param.opts if opt.startswith("--")]
    missing = [option for option in options if option not in DOCS and option not in {"--output"}]
    assert missing == []
    assert all(f"`{fmt}`" in DOCS or fmt.upper() in DOCS for fmt in FORMATS)
