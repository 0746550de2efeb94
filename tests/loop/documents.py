"""The GraphQL documents the loop tests send."""

from __future__ import annotations

RESULT = """
  __typename
  ... on Demand { id stage status overdue }
  ... on IllegalTransitionError { code message allowed }
  ... on Error { code message field }
"""


def move(name: str, *args: str) -> str:
    """``mutation($demandId: ID!, ...) { name(demandId: $demandId, ...) { RESULT } }``"""
    decl = ", ".join(f"${a.split(':')[0]}: {a.split(':')[1]}" for a in args)
    call = ", ".join(f"{a.split(':')[0]}: ${a.split(':')[0]}" for a in args)
    return f"mutation({decl}) {{ {name}({call}) {{ {RESULT} }} }}"


DISPATCH = move("dispatchDemand", "demandId:ID!", "unitId:ID!", "note:String")
ACCEPT = move("acceptDemand", "demandId:ID!", "note:String")
START = move("startDemand", "demandId:ID!", "note:String")
FINISH = move("finishDemand", "demandId:ID!", "note:String")
RETURN = move("returnDemand", "demandId:ID!", "reason:String!")
REOPEN = move("reopenDemand", "demandId:ID!", "note:String")
CHASE = move("chaseDemand", "demandId:ID!", "note:String")
WHISTLE = move(
    "whistleDemand", "demandId:ID!", "level:WhistleLevel!", "unitIds:[ID!]!", "note:String"
)
RESPOND = move("respondWhistle", "whistleId:ID!", "response:String!", "unitId:ID")
CALLBACK = move("recordCallback", "demandId:ID!", "rating:CallbackRating!", "comment:String")

DEMAND = """
query($id: ID!) { demand(id: $id) {
  id stage status overdue
  timeline { kind at actorRole actorScope note unitId }
  currentAssignment { id unitId acceptDue finishDue acceptedAt startedAt doneAt returnedAt
    returnReason reopened overdue open }
  assignments { id unitId reopened open overdue }
  chases { at unitId byRole note }
  whistles { id level fromCode toCode note summons { unitId due respondedAt response late } }
  callbacks { rating ratingLabel comment at }
} }
"""

LIST = """
query($filter: DemandFilter) { demands(filter: $filter, first: 100) {
  totalCount nodes { id stage overdue } } }
"""

UNIT_WORK = """
query($id: ID!) { unit(id: $id) { id assignments { nodes { demandId unitId open } } } }
"""

AUDIT = """
query($id: ID!) { auditTrail(targetId: $id, first: 100) {
  __typename ... on AuditPage { entries { action variant actorRole targetId } } } }
"""
