"""The GraphQL types of other schema modules, by name, resolved when the schema is built.

Relation declarations (``schema.relation``) name their type with these, as in
``relation.many("list[lazy.Demand]", ...)``: no schema module imports another one for
a relation's type, so the modules import no circle.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

Agreement: Any = Annotated["Agreement", strawberry.lazy("schema.records")]
Assignment: Any = Annotated["Assignment", strawberry.lazy("schema.loop")]
Building: Any = Annotated["Building", strawberry.lazy("schema.places")]
Callback: Any = Annotated["Callback", strawberry.lazy("schema.loop")]
Chase: Any = Annotated["Chase", strawberry.lazy("schema.loop")]
Community: Any = Annotated["Community", strawberry.lazy("schema.places")]
Compound: Any = Annotated["Compound", strawberry.lazy("schema.places")]
County: Any = Annotated["County", strawberry.lazy("schema.places")]
Demand: Any = Annotated["Demand", strawberry.lazy("schema.demands")]
DemandFilter: Any = Annotated["DemandFilter", strawberry.lazy("schema.demands")]
DemandEvent: Any = Annotated["DemandEvent", strawberry.lazy("schema.loop")]
DivisionPlace: Any = Annotated["DivisionPlace", strawberry.lazy("schema.places")]
Evaluation: Any = Annotated["Evaluation", strawberry.lazy("schema.records")]
LiaisonLink: Any = Annotated["LiaisonLink", strawberry.lazy("schema.units")]
Meeting: Any = Annotated["Meeting", strawberry.lazy("schema.records")]
PartyOrganization: Any = Annotated["PartyOrganization", strawberry.lazy("schema.people")]
Person: Any = Annotated["Person", strawberry.lazy("schema.people")]
Project: Any = Annotated["Project", strawberry.lazy("schema.projects")]
ProjectFilter: Any = Annotated["ProjectFilter", strawberry.lazy("schema.projects")]
Resource: Any = Annotated["Resource", strawberry.lazy("schema.resources")]
ResourceFilter: Any = Annotated["ResourceFilter", strawberry.lazy("schema.resources")]
Role: Any = Annotated["Role", strawberry.lazy("schema.people")]
Unit: Any = Annotated["Unit", strawberry.lazy("schema.units")]
Whistle: Any = Annotated["Whistle", strawberry.lazy("schema.loop")]
