"""Read QR codes back from rendered images with two real decoders written outside this
project: zxing-cpp (a Python binding) and zbar (Debian's ``zbarimg``)."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image

ZBARIMG = shutil.which("zbarimg")
# zbarimg's exit status when it read the image and found no symbol in it.
_ZBAR_FOUND_NOTHING = 4


def decode_qr_codes(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def decode_png(png: bytes) -> list[str]:
    return decode_qr_codes(Image.open(io.BytesIO(png)))


def zbar_decode_qr_codes(image: Image.Image) -> list[str]:
    """Every QR code zbar finds, one text each (zbar prints one a line: the URIs printed here
    are ASCII, which its text conversion leaves as encoded)."""
    assert ZBARIMG is not None, "zbarimg (Debian's zbar-tools) is not installed"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "label.png"
        image.save(path)
        done = subprocess.run(
            [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    if done.returncode == _ZBAR_FOUND_NOTHING:
        return []
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def zbar_decode_png(png: bytes) -> list[str]:
    return zbar_decode_qr_codes(Image.open(io.BytesIO(png)))
