"""`farmtrace labels`: print-ready labels for a batch."""

from pathlib import Path

import click

from farmtrace.commands.options import database_option, load_settings
from labels.fonts import FontNotFound
from labels.layout import LabelSize
from labels.render import FORMATS, PRINTER_DPIS, render_label
from schemas.codes import normalize_lot_code
from store.db import connect
from store.labels import load_label_data


def _label_size(text: str) -> LabelSize:
    try:
        width, height = (float(part) for part in text.lower().split("x"))
    except ValueError as error:
        raise click.BadParameter(
            f"expected WIDTHxHEIGHT in mm, like 60x40; got {text!r}"
        ) from error
    return LabelSize(width, height)


@click.group("labels")
def labels_group() -> None:
    """Render batch labels: SVG/PNG, A4 PDF sheets, ZPL (Zebra) and TSPL (TSC)."""


@labels_group.command("render")
@click.argument("lot")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--dpi",
    type=int,
    default=300,
    show_default=True,
    help=f"Printer resolution for png, zpl and tspl ({' or '.join(map(str, PRINTER_DPIS))}).",
)
@click.option("--size", default="60x40", show_default=True, help="Label size in mm (not pdf).")
@click.option(
    "--copies",
    type=int,
    help="PDF: labels on the sheet (default: a full sheet); ZPL/TSPL: print quantity.",
)
@click.option(
    "--printer-font",
    help="ZPL/TSPL: the CJK TrueType font stored on the printer (E:SIMSUN.TTF / SIMSUN.TTF).",
)
@click.option("--base-url", envvar="FARMTRACE_PUBLIC_BASE_URL", help="Origin printed in the QR.")
@database_option
def render_command(
    lot: str,
    fmt: str,
    output: Path,
    dpi: int,
    size: str,
    copies: int | None,
    printer_font: str | None,
    base_url: str | None,
    database_url: str | None,
) -> None:
    """Render the label of batch LOT to a file."""
    settings = load_settings(database_url=database_url, public_base_url=base_url)
    with connect(settings.database_url) as conn:
        label = load_label_data(conn, normalize_lot_code(lot))
    if label is None:
        raise click.ClickException(f"no batch with lot code {lot}")
    try:
        content = render_label(
            label,
            fmt,
            settings.public_base_url,
            dpi=dpi,
            size=_label_size(size),
            copies=copies,
            printer_font=printer_font,
        )
    except FontNotFound as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(content)
    click.echo(f"{fmt}: {output} ({len(content)} bytes)")
