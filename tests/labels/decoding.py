"""Read QR codes back with a real decoder (zxing-cpp) from rendered images."""

import io

import zxingcpp
from PIL import Image


def decode_qr_codes(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def decode_png(png: bytes) -> list[str]:
    return decode_qr_codes(Image.open(io.BytesIO(png)))
