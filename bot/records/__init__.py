"""Written records (书面记录): insert-only, hash-chained, exportable.

Public API: ``RecordStore`` (append, verify, export, dump, cases, for_case), ``VerifyResult``,
``CaseSummary``, ``CaseConflict``.
"""

from bot.records.store import CaseConflict, CaseSummary, RecordStore, StoredCase, VerifyResult

__all__ = ["CaseConflict", "CaseSummary", "RecordStore", "StoredCase", "VerifyResult"]
