"""Additions to the generated OpenAPI schema: the token scheme and the error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from events.filters import EventFilter
from partners.filters import OrganisationFilter
from projects.filters import ProjectFilter

# Filters whose type drf-spectacular cannot read (choices built per request, `method=`
# filters): record ids and a year, all integers.
for filter_ in (
    EventFilter.base_filters["year"],
    OrganisationFilter.base_filters["network"],
    ProjectFilter.base_filters["member"],
):
    extend_schema_field(OpenApiTypes.INT)(filter_)

ERROR = {
    "type": "object",
    "required": ["message", "errors"],
    "properties": {
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string", "description": "e.g. consortium[1].role"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
ERROR_STATUSES = {
    "400": "Invalid input: each error names its field.",
    "401": "No valid token or session.",
    "403": "The role does not allow this.",
    "404": "No such record.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "The database refused the change.",
    "415": "Unsupported media type.",
    "429": "Too many requests with this token; wait and retry.",
}


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "genopole_crm.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, with a key created on your account page.",
        }


def add_error_responses(result, generator, request, public):
    """Every operation may answer with the error shape; list them so clients know it."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                if code in responses:
                    continue
                responses[code] = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
    return result
