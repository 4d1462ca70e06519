"""How far WeasyPrint has got with a PDF, for the progress bar of a compile.

WeasyPrint logs its steps, and each page as it lays it out, on the
``weasyprint.progress`` logger (kept at INFO and never printed: see LOGGING in the
settings). While a document is printed, ``reporting`` listens to the records of
its own thread and turns them into a percentage between two bounds, so a compile
of a large year does not sit at the same figure for the minute its PDF takes."""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LOGGER = "weasyprint.progress"

# Where each step starts, as a share of the PDF's time (measured on an annual
# programme of 1,855 pages): parsing the CSS and matching it to the elements,
# building the boxes, laying out the pages, drawing them, then the tags and the file.
STEP_STARTS = {
    "Step 3": 0.04,
    "Step 4": 0.17,
    "Step 5": 0.24,
    "Step 6": 0.69,
    "Step 7": 0.84,
}
LAYOUT_SHARE = STEP_STARTS["Step 6"] - STEP_STARTS["Step 5"]
# The pages a document will have, guessed from its HTML: about 1,600 characters of
# markup make a page of the portal's tables (2,540 on a short programme, 1,560 on a
# long one). Only the layout step uses the guess, and never past 95 % of that step.
CHARS_PER_PAGE = 1600


class _Listener(logging.Handler):
    def __init__(self, report: Callable[[float], None], pages: int) -> None:
        super().__init__(logging.INFO)
        self.thread = threading.get_ident()
        self.report = report
        self.pages = max(pages, 1)
        self.done = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return  # another document, printed by another thread
        message = str(record.msg)
        share = STEP_STARTS.get(message[:6])
        if share is None:
            return
        if message.startswith("Step 5") and "Page" in message and record.args:
            page = record.args[0] if isinstance(record.args, tuple) else 0
            if isinstance(page, int):
                share += LAYOUT_SHARE * min(page / self.pages, 0.95)
        # Repagination lays out from the first page again: the bar never goes back.
        if share > self.done:
            self.done = share
            self.report(share)


@contextmanager
def reporting(
    progress: Callable[[int], None] | None, span: tuple[int, int], html_length: int
) -> Iterator[None]:
    """While the block prints a PDF of ``html_length`` characters of HTML, call
    ``progress`` with each new whole percentage between ``span``'s bounds."""
    if progress is None:
        yield
        return
    start, end = span
    last = [start]

    def report(share: float) -> None:
        percent = start + int((end - start) * share)
        if percent > last[0]:
            last[0] = percent
            progress(percent)

    logger = logging.getLogger(LOGGER)
    listener = _Listener(report, html_length // CHARS_PER_PAGE)
    logger.addHandler(listener)
    try:
        yield
    finally:
        logger.removeHandler(listener)
