"""PDF copies of the documents where the machine has LibreOffice (`soffice --headless --convert-to pdf`);
without it, DOCX only. Detected on each use, so installing LibreOffice needs no restart."""
from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
TIMEOUT = 120  # seconds for one conversion


def converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes | None:
    """The document as PDF, or None without LibreOffice or when it fails (said in the log, without content)."""
    binary = converter()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdf-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        try:
            subprocess.run([binary, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                           check=True, capture_output=True, timeout=TIMEOUT)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("PDF conversion failed: %s", type(exc).__name__)
            return None
        target = Path(folder) / "document.pdf"
        return target.read_bytes() if target.is_file() else None
