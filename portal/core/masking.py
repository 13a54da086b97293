"""How personal data is shown where it must not be read in full (R-K5, PIPL).

Pages, exports, e-mails and log lines show an ID number as ``mask_id`` gives it, answers to the
public (verification, R-K5) as ``mask_id_public`` gives it; the full number
is shown only by a deliberate, audited action (portal.core.privacy) and on the holder's own
certificate (R-K3).
"""

import logging
import re

# Anything that looks like a resident ID number (GB 11643): 17 digits and a digit or X, not part
# of a longer run of letters and digits (a 22-character certificate number is not one).
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜; a one-character name stays as it is."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(id_number: str) -> str:
    """The first 3 and the last 4 characters: 440***********123X."""
    id_number = id_number or ""
    if len(id_number) <= 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def mask_id_public(id_number: str) -> str:
    """The first and the last character: 4****************X. For answers to anyone (R-K5):
    the first 3 and last 4 characters of mask_id leave only a birth date to guess."""
    id_number = id_number or ""
    if len(id_number) <= 2:
        return "*" * len(id_number)
    return id_number[0] + "*" * (len(id_number) - 2) + id_number[-1]


def is_masked(value: str) -> bool:
    return "*" in (value or "")


def mask_id_numbers(text: str) -> str:
    """Free text (a log line, an e-mail, an audit note) with every ID-like number masked."""
    if not text:
        return text
    return ID_NUMBER_RE.sub(lambda match: mask_id(match.group(0)), text)


# Logs: settings LOGGING names this filter before the apps load, so it lives here, model-free.


class MaskIDNumbersFilter(logging.Filter):
    """Masks anything that looks like an ID number in a log record: the message with its
    arguments, the exception text and the stack. Put on the root handler (settings LOGGING),
    it covers every logger, the portal's, Django's and Celery's."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's to report, not ours
            return True
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_id_numbers(record.stack_info)
        return True
