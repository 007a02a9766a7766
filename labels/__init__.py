"""GS1 Digital Link URIs, QR codes and label layouts."""
