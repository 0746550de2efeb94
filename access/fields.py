"""Every String field of the API, declared: public, personal, or free text.

- ``PUBLIC``: facts anyone who reads the object may read (names of places and units,
  codes, labels, dates, vocabulary values, error texts);
- ``PERSONAL``: a person's name or phone: masked outside the caller's personal scope
  (``resolvers.personal.reveal``), and never matched by a filter or a sort there;
- ``FREE_TEXT``: text people typed (titles, descriptions, minutes, comments): phones,
  landlines and 18-digit ID-card numbers inside it are masked outside the caller's
  personal scope, by the read path itself (``resolvers.reader.Reader.masked``, applied
  to every object a DataLoader or a list hands out), so a new field cannot forget it.

``tests/access/test_fields.py`` walks the printed SDL: a String field that is in none of
the three lists fails the suite. Model field names are the GraphQL names (camelCase).
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    PUBLIC = "public"
    PERSONAL = "personal"
    FREE_TEXT = "free text"


_P, _S, _F = Kind.PUBLIC, Kind.PERSONAL, Kind.FREE_TEXT
_ERROR = {"code": _P, "message": _P, "field": _P}

#: GraphQL type -> String field -> kind
FIELDS: dict[str, dict[str, Kind]] = {
    "AbsentUnit": {"unitName": _P, "communityName": _P, "status": _P, "sentence": _P},
    "Agreement": {"title": _F, "signedOn": _P, "content": _F},
    "AgreementEdge": {"cursor": _P},
    "AuditEntry": {
        "actor": _S, "actorRole": _P, "actorScope": _P, "action": _P, "variant": _P,
        "targetId": _P, "targetLabel": _P, "scopeCodes": _P, "before": _F, "after": _F,
    },
    "AuditPage": {"endCursor": _P},
    # the closed loop (docs/closed-loop.md): roles and codes, never names; notes are typed
    "Assignment": {"returnReason": _F},
    "AssignmentEdge": {"cursor": _P},
    "DemandEvent": {"actorRole": _P, "actorScope": _P, "note": _F, "kindLabel": _P},
    "Chase": {"byRole": _P, "byScope": _P, "note": _F},
    "Whistle": {"fromCode": _P, "toCode": _P, "note": _F},
    "Summons": {"response": _F},
    "Callback": {"comment": _F, "ratingLabel": _P},
    "Building": {"name": _P},
    # the caller's own token: its role and scope, never its subject
    "Caller": {"roleLabel": _P, "scope": _P, "county": _P},
    "CommunityCategoryCount": {
        "category": _P, "categoryLabel": _P, "communityCode": _P, "communityName": _P,
    },
    "MonthCount": {"month": _P},
    # the payload holds no names or phones by contract (notices.outbox)
    "Notice": {
        "kind": _P, "demandId": _P, "unitId": _P, "county": _P, "street": _P,
        "community": _P, "payload": _P,
    },
    "BuildingGap": {"compoundName": _P, "missingLabels": _P},
    "CapacityExceededError": _ERROR,
    "Community": {"name": _P, "code": _P},
    "Compound": {"name": _P},
    "ConflictError": _ERROR,
    "Count": {"key": _P, "label": _P},
    "County": {"name": _P, "code": _P, "province": _P, "city": _P, "kindWord": _P},
    "Demand": {
        "title": _F, "description": _F, "categoryGiven": _P, "collectedOn": _P, "source": _P,
        "categoryLabel": _P, "collectorName": _S, "matterClassLabel": _P,
        "categoryInferredBy": _P,
    },
    "DemandEdge": {"cursor": _P},
    "EmptyReason": {"code": _P, "sentence": _P},
    "ExportFile": {"filename": _P, "mediaType": _P, "contentBase64": _P},
    "Error": _ERROR,
    "Evaluation": {"period": _P, "comment": _F, "kindLabel": _P},
    "EvaluationEdge": {"cursor": _P},
    "ForbiddenError": _ERROR,
    "FourPlusN": {"missing": _P},
    "GapReport": {"periodFrom": _P, "periodTo": _P},
    "Grid": {"name": _P},
    "IdleResource": {"name": _F, "unitName": _P},
    "IllegalTransitionError": {**_ERROR, "allowed": _P},
    "InvalidInputError": _ERROR,
    "KindSummary": {"kind": _P, "title": _P},
    "LoadReport": {"files": _P},
    # a sheet's headers as written: column names, never a cell's content
    "SheetSummary": {"file": _P, "sheet": _P, "kind": _P, "ignoredColumns": _P},
    "ColumnReading": {"written": _P, "readAs": _P},
    "Member": {"name": _S, "phone": _S},
    "MemberEdge": {"cursor": _P},
    "MemberHoursReport": {"scope": _P, "period": _P},
    "MatchCandidate": {"resourceName": _F, "unitName": _P, "demandTitle": _F},
    "MatchReason": {"kind": _P, "label": _P, "sentence": _F},
    "Meeting": {"title": _F, "heldOn": _P, "cadence": _P, "minutes": _F},
    "MeetingEdge": {"cursor": _P},
    "NotFoundError": _ERROR,
    "PageInfo": {"startCursor": _P, "endCursor": _P},
    "PartyOrganization": {"name": _P, "kindLabel": _P},
    "Person": {"name": _S, "phone": _S},
    "PersonEdge": {"cursor": _P},
    "Place": {"name": _P},
    "RateFigure": {"key": _P, "label": _P, "formula": _P},
    "RatePeriod": {"label": _P},
    "Rates": {"scope": _P},
    "UnitRank": {"unitName": _P, "formula": _P},
    "Project": {
        "name": _F, "startDate": _P, "endDate": _P, "projectClassLabel": _P, "statusLabel": _P,
    },
    "ProjectEdge": {"cursor": _P},
    "RejectedItem": {"code": _P, "message": _P},
    "Resource": {
        "name": _F, "categoryGiven": _P, "description": _F, "measure": _P, "availableTime": _F,
        "categoryLabel": _P, "contactName": _S, "contactPhone": _S,
    },
    "ResourceEdge": {"cursor": _P},
    "Role": {"title": _F, "since": _P, "until": _P, "claimedItems": _F, "kindLabel": _P},
    "RowError": {
        "file": _P, "sheet": _P, "column": _P, "columnLetter": _P, "value": _P, "reason": _P,
        "code": _P, "kind": _P,
    },
    "Street": {"name": _P, "code": _P},
    "StructureGap": {"communityName": _P, "missing": _P, "sentences": _P},
    "ServiceLog": {"note": _F},
    "ServiceLogEdge": {"cursor": _P},
    "UnauthenticatedError": _ERROR,
    "UnitMemberHours": {"unitName": _P},
    "Unit": {"name": _P, "kindGiven": _P, "partyOrgName": _P, "kindLabel": _P, "phone": _S},
    "UnitEdge": {"cursor": _P},
    "UnmetDemand": {"title": _F, "reason": _P, "sentence": _F},
    "UnmetGroup": {"communityName": _P},
    "Wish": {"title": _F, "description": _F, "statusLabel": _P},
    "WishEdge": {"cursor": _P},
}  # fmt: skip

#: domain model (class name) -> its free-text fields, masked by the read path
FREE_TEXT: dict[str, tuple[str, ...]] = {
    name: tuple(field for field, kind in fields.items() if kind is Kind.FREE_TEXT)
    for name, fields in FIELDS.items()
    if any(kind is Kind.FREE_TEXT for kind in fields.values())
}

__all__ = ["FIELDS", "FREE_TEXT", "Kind"]
