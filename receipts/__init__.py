"""Documents: reportlab PDFs (slips, loyalty cards, owner reports) and python-barcode barcodes.

Takes plain dataclasses defined here and knows nothing of the shop."""
