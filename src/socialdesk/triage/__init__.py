"""Triage: does a post need a reply, what is it, how does the customer feel, how urgent, what is private.

Pure functions over text; the only file access is loading the packaged model once.
"""

from socialdesk.triage.language import detect_language
from socialdesk.triage.private_data import find_private_data, luhn_valid, mask
from socialdesk.triage.result import CATEGORIES, SENTIMENTS, PrivateDataMatch, TriageResult
from socialdesk.triage.settings import TriageSettings
from socialdesk.triage.triager import Triager, TriageRequest

__all__ = [
    "CATEGORIES",
    "SENTIMENTS",
    "PrivateDataMatch",
    "TriageRequest",
    "TriageResult",
    "TriageSettings",
    "Triager",
    "detect_language",
    "find_private_data",
    "luhn_valid",
    "mask",
]
