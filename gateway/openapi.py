"""The published contract: /openapi.json (OpenAPI 3.1, as FastAPI generates it from the routes' models),
completed in one place with what every route shares, so a route added later is documented the same way:

- every error an operation can answer, as an RFC 9457 problem (application/problem+json);
- the Idempotency-Key header on every POST (gateway/idempotency.py), and ETag / If-None-Match / 304 on
  every JSON GET (gateway/conditional.py);
- X-Request-Id on every response, Retry-After on 429 and 503, the RateLimit fields on rate-limited ones,
  Content-Language on problems, Allow on 405;
- the shape of the data in Server-Sent Events frames (BoardStreamData: an event, or the `reset` frame);
- OpenAPI links from each create to the operations on what it created (GET /v1/x/{x_id}, POST
  /v1/x/{x_id}/action, ...) and from each page of a list to the next, so a generated client (and a stateful
  test) can follow them.

And /docs: Swagger UI served from this process (assets from the fastapi-offline package), because the
page FastAPI ships loads them from a CDN that offline and locked-down networks cannot reach.
"""
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from gateway.problems import MEDIA_TYPE, ProblemDetails

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs/assets"
METHODS_WITH_BODY = {"post", "put", "patch"}

_DESCRIPTIONS = {
    "304": "Not modified: the representation still has the ETag sent in If-None-Match",
    "400": "The api refused the input (field by field in `errors`)",
    "401": "No bearer token, or one that is not valid (WWW-Authenticate says which)",
    "403": "Your role may not do this",
    "404": "No such resource, or not one you may see (someone else's record is reported as missing)",
    "409": "Not allowed in the current state, changed concurrently, already exists, or the same "
           "Idempotency-Key is still being answered",
    "413": "The request body is too large",
    "422": "The request is malformed (field by field in `errors`), or its Idempotency-Key was used "
           "with a different request",
    "429": "Too many requests: wait Retry-After seconds",
    "500": "The gateway failed; `detail` carries a reference for the operators",
    "502": "A service failed",
    "503": "A service is unavailable or the gateway is overloaded: retry after Retry-After seconds",
    "504": "A service did not answer in time",
}
_HEADERS = {
    "X-Request-Id": {"description": "This request's id (yours, if you sent a sane X-Request-Id); quote it "
                                    "when reporting a problem", "schema": {"type": "string"}},
    "X-Trace-Id": {"description": "The OpenTelemetry trace id, when the request was traced",
                   "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}},
    "ETag": {"description": "Validator of this representation; send it back as If-None-Match",
             "schema": {"type": "string"}},
    "Idempotency-Replayed": {"description": "true when this is the stored answer to an earlier request with "
                                            "the same Idempotency-Key", "schema": {"type": "string"}},
    "RateLimit-Policy": {"description": 'The per-client quota (draft-ietf-httpapi-ratelimit-headers): '
                                        '`"per-client";q=60;w=6` = a bucket of q requests that refills in w '
                                        'seconds. On every rate-limited response',
                         "schema": {"type": "string"}},
    "RateLimit": {"description": 'Where this client stands: `"per-client";r=41;t=2` = r requests left, t '
                                 'seconds until the bucket is full again. On every rate-limited response',
                  "schema": {"type": "string"}},
    "Content-Language": {"description": "The language of the problem's title and detail (en or zh-CN, as "
                                        "Accept-Language asked)", "schema": {"type": "string", "enum": ["en", "zh-CN"]}},
}
ACCEPT_LANGUAGE = {
    "name": "Accept-Language", "in": "header", "required": False,
    "description": "zh-CN (or any zh) for problems in Simplified Chinese; English otherwise. q-values count",
    "schema": {"type": "string"},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Makes a retry safe: the same key with the same request replays the first answer (for "
                   "24 hours); the same key with a different request is refused (422). 1-64 characters "
                   "A-Z a-z 0-9 . _ : -",
    "schema": {"type": "string", "pattern": r"^[A-Za-z0-9._:-]{1,64}$"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match", "in": "header", "required": False,
    "description": "The ETag of the representation you hold: answered 304 with no body if it is unchanged",
    "schema": {"type": "string"},
}


# gateway/limits.py RefuseControlCharacters, linli/kit/text.py: no control character but newline and tab.
PLAIN_TEXT = "^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$"
# A required text (minLength 1 or more) is also not blank: the apis trim it and refuse what is left empty.
NOT_BLANK_TEXT = "^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$"


def _plain_text(schema, schemas: dict, seen: set) -> None:
    """Say on every free-text string a request can carry (no pattern, format or enum of its own) that
    control characters are refused."""
    if isinstance(schema, list):
        for item in schema:
            _plain_text(item, schemas, seen)
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _plain_text(schemas.get(name), schemas, seen)
        return
    if schema.get("type") == "string" and not ({"pattern", "format", "enum", "const"} & schema.keys()):
        schema["pattern"] = NOT_BLANK_TEXT if schema.get("minLength", 0) >= 1 else PLAIN_TEXT
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "$defs") and isinstance(value, dict):
            for item in value.values():
                _plain_text(item, schemas, seen)
        elif key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "prefixItems"):
            _plain_text(value, schemas, seen)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _header_refs(*names: str) -> dict:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _add_models(schemas: dict, *models: type[BaseModel]) -> None:
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema


def _links(document: dict) -> None:
    """Links from what a create answers (its `id`) to every operation on the created resource, and from a
    page (its `next_page_token`) to the next page of the same list."""
    paths = document.get("paths", {})
    for path, path_item in paths.items():
        for method, operation in path_item.items():
            answered = next((operation["responses"][s] for s in ("201", "200") if s in operation["responses"]), None)
            if answered is None:
                continue
            links = {}
            if method == "post" and "{" not in path.rsplit("/", 1)[-1]:
                resource = re.compile(re.escape(path) + r"/\{(\w+)\}(/[a-z-]+)*")
                for other_path, other_item in paths.items():
                    match = resource.fullmatch(other_path)
                    if not match or other_path.count("{") != path.count("{") + 1:
                        continue
                    for other_method, other in other_item.items():
                        parameters = {match.group(1): "$response.body#/id"}
                        # The path's other ids (the create's own path parameters) stay what they were.
                        for name in re.findall(r"\{(\w+)\}", path):
                            parameters[name] = f"$request.path.{name}"
                        links[other["operationId"]] = {"operationId": other["operationId"], "parameters": parameters,
                                                       "description": f"{other_method.upper()} {other_path} on what "
                                                                      "this created"}
            if method == "get" and any(p.get("name") == "page_token" for p in operation.get("parameters", ())):
                links["nextPage"] = {
                    "operationId": operation["operationId"],
                    "parameters": {"page_token": "$response.body#/next_page_token",
                                   **{p["name"]: f"$request.{p['in']}.{p['name']}"
                                      for p in operation.get("parameters", ())
                                      if p.get("in") in ("path", "query") and p["name"] != "page_token"}},
                    "description": "The next page (while next_page_token is not null)"}
            if links:
                answered["links"] = links


def _rate_limited(path: str, method: str) -> bool:
    from gateway.ratelimit import EXEMPT_PREFIXES  # the same list the limit itself uses

    return not path.startswith(EXEMPT_PREFIXES)


def _link_token(operation: dict) -> bool:
    """Whether the operation is entered with a link's or an invitation's token (X-Linli-...-Token): 401
    without it, 409 when it has expired."""
    return any(p.get("in") == "header" and p.get("name", "").lower().startswith("x-linli-")
               and p.get("name", "").lower().endswith("-token") for p in operation.get("parameters", []))


def _error_statuses(method: str, operation: dict) -> list[str]:
    statuses = ["400", "404", "422", "429", "500", "502", "503", "504"]
    if operation.get("security"):
        statuses += ["401", "403"]
    elif _link_token(operation):
        statuses.append("401")
    if method != "get" or _link_token(operation):
        statuses.append("409")
    if method in METHODS_WITH_BODY:
        statuses.append("413")
    return sorted(statuses)


def _is_json_get(method: str, operation: dict) -> bool:
    ok = operation.get("responses", {}).get("200", {})
    return method == "get" and "application/json" in ok.get("content", {})


def complete(document: dict, event_models: tuple[type[BaseModel], ...] = (),
             stream_items: dict[str, type[BaseModel]] | None = None) -> dict:
    """Add what every operation shares to a FastAPI-generated document (changes it in place). event_models:
    the board streams' data shapes; stream_items: the data shape of the other streams, by path suffix."""
    stream_items = stream_items or {}
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    # FastAPI's own validation error shapes are never sent: validation errors are problems too.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    _add_models(schemas, ProblemDetails, *event_models, *stream_items.values())
    if event_models:
        schemas["BoardStreamData"] = {
            "description": "The JSON on the data: line of a board stream frame: an event (`event:` and `id:` "
                           "set), or `reset` (no id): reload the list, then carry on",
            "oneOf": [_ref(model.__name__) for model in event_models]}
    components["headers"] = _HEADERS
    _links(document)
    plain_seen: set[str] = set()
    for path, path_item in document.get("paths", {}).items():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status.startswith("2"):
                    response.setdefault("headers", {}).update(_header_refs("X-Request-Id", "X-Trace-Id"))
            limited = _rate_limited(path, method)
            for status, response in responses.items():
                if status.startswith("2") and limited:
                    response["headers"].update(_header_refs("RateLimit-Policy", "RateLimit"))
                content = response.get("content", {})
                if "text/event-stream" in content and event_models:
                    # OpenAPI 3.2's itemSchema: the schema of each event's data, not of the whole stream.
                    item = next((model.__name__ for suffix, model in stream_items.items() if path.endswith(suffix)),
                                "BoardStreamData")
                    content["text/event-stream"]["itemSchema"] = _ref(item)
            for status in _error_statuses(method, operation):
                headers = _header_refs("X-Request-Id", "X-Trace-Id", "Content-Language")
                if status in ("429", "503"):
                    headers.update(_header_refs("Retry-After"))
                if limited and status != "401":
                    headers.update(_header_refs("RateLimit-Policy", "RateLimit"))
                responses[status] = {"description": _DESCRIPTIONS[status], "headers": headers,
                                     "content": {MEDIA_TYPE: {"schema": _ref("ProblemDetails")}}}
            parameters = operation.setdefault("parameters", [])
            named = {(p.get("in"), p.get("name", "").lower()) for p in parameters}
            if ("header", "accept-language") not in named:
                parameters.append(ACCEPT_LANGUAGE)
            if method == "post":
                if ("header", "idempotency-key") not in named:
                    parameters.append(IDEMPOTENCY_KEY)
                for status, response in responses.items():
                    if status.startswith("2"):
                        response["headers"].update(_header_refs("Idempotency-Replayed"))
            if _is_json_get(method, operation):
                parameters.append(IF_NONE_MATCH)
                responses["200"]["headers"].update(_header_refs("ETag"))
                responses["304"] = {"description": _DESCRIPTIONS["304"],
                                    "headers": _header_refs("ETag", "X-Request-Id", "X-Trace-Id")}
            if not parameters:
                del operation["parameters"]
            for parameter in parameters:
                if parameter.get("in") in ("path", "query"):
                    _plain_text(parameter.get("schema"), schemas, plain_seen)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                _plain_text(media.get("schema"), schemas, plain_seen)
    return document


def install(app: FastAPI, event_models: tuple[type[BaseModel], ...] = (),
            stream_items: dict[str, type[BaseModel]] | None = None) -> None:
    """Serve the completed document at /openapi.json and Swagger UI at /docs (create the app with
    docs_url=None and redoc_url=None)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                                   description=app.description, routes=app.routes, tags=app.openapi_tags)
            app.openapi_schema = complete(document, event_models, stream_items)
        return app.openapi_schema

    app.openapi = openapi
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": False, "displayRequestDuration": True},
        )
