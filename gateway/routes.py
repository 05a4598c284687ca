"""The gateway's pass-through routes, declared as data: one Route per operation, served by one generic
handler. A pass-through builds the request message from the path, the query and the body, calls one rpc on
behalf of the caller, and answers one field of the reply (or a page of items) as JSON (gateway/protojson.py).

What is not a pass-through (a create answering 201 with Location, files, streams, headers the api reads) stays
a hand-written handler; it uses the same converter and gateway/common.py.

Adding a route: docs/architecture.md, "The gateway's routes: one table, one converter"."""
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from fastapi import APIRouter, Depends, Request

from gateway.common import Caller, IdempotencyKey, call_options, page, require_caller
from gateway.protojson import from_json, to_json


@dataclass(frozen=True)
class Param:
    """A path or query parameter: its name in the URL, its annotation (with its FastAPI Path or Query), its
    default (inspect.Parameter.empty: required) and the request message's field it fills (its own name
    when not given)."""

    name: str
    annotation: Any
    default: Any = inspect.Parameter.empty
    to: str = ""

    @property
    def target(self) -> str:
        return self.to or self.name


@dataclass(frozen=True)
class Route:
    """One operation. stub: the app.state attribute holding the stub, dotted ("employment.jobs").
    body_into: the request field the body fills (empty: the body's fields are the request's own).
    answer: the reply's field answered (a message); items: the reply's repeated field answered as a page
    ({items, next_page_token}); neither: the whole reply. doc: the description (who may call it included).
    build and render replace the generic mapping where a row needs its own: build(arguments) makes the
    request message from the handler's arguments (path, query, body, idempotency_key); render(reply) makes
    the JSON answered."""

    method: str
    path: str
    name: str  # the handler's name: the published operationId is made from it
    stub: str
    rpc: str
    request: type
    response_model: Any
    path_params: tuple[Param, ...] = ()
    query: tuple[Param, ...] = ()
    body: type | None = None
    body_into: str = ""
    body_optional: bool = False
    answer: str = ""
    items: str = ""
    status_code: int = 200
    idempotent: bool = False  # takes an Idempotency-Key header (the Idempotency middleware honours it)
    unknown_enum: str | None = None  # what an enum number newer than the gateway reads as (None or "unknown")
    doc: str = ""
    responses: dict = field(default_factory=dict)
    build: Callable[[dict], Any] | None = None
    render: Callable[[Any], dict] | None = None
    extra: dict = field(default_factory=dict)  # any other add_api_route keyword (tags, summary...)


def stub_of(app_state, dotted: str):
    holder = app_state
    for part in dotted.split("."):
        holder = getattr(holder, part)
    return holder


def build_request(route: Route, arguments: dict):
    """The request message from the handler's arguments: parameters by their target fields, then the body."""
    if route.build is not None:
        return route.build(arguments)
    data = {param.target: arguments[param.name] for param in (*route.path_params, *route.query)}
    message = from_json(route.request, data)
    body = arguments.get("body")
    if body is not None:
        dumped = from_json(type(getattr(message, route.body_into)) if route.body_into else route.request,
                           body.model_dump())
        (getattr(message, route.body_into) if route.body_into else message).MergeFrom(dumped)
    return message


def answer(route: Route, reply) -> dict:
    if route.render is not None:
        return route.render(reply)
    if route.items:
        return page([to_json(item, unknown=route.unknown_enum) for item in getattr(reply, route.items)],
                    getattr(reply, "next_page_token", ""))
    return to_json(getattr(reply, route.answer) if route.answer else reply, unknown=route.unknown_enum)


def handler(route: Route) -> Callable:
    """An async function FastAPI reads as if written by hand: its signature names the parameters, so the
    OpenAPI document describes them."""

    async def serve(**arguments) -> dict:
        request: Request = arguments["request"]
        stub = stub_of(request.app.state, route.stub)
        reply = await getattr(stub, route.rpc)(build_request(route, arguments),
                                               **call_options(request, arguments["caller"]))
        return answer(route, reply)

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter(p.name, keyword, annotation=p.annotation) for p in route.path_params]
    if route.body is not None:
        body = route.body | None if route.body_optional else route.body
        parameters.append(inspect.Parameter("body", keyword, annotation=body,
                                            default=None if route.body_optional else inspect.Parameter.empty))
    parameters.append(inspect.Parameter("request", keyword, annotation=Request))
    parameters += [inspect.Parameter(p.name, keyword, annotation=p.annotation, default=p.default) for p in route.query]
    if route.idempotent:
        parameters.append(inspect.Parameter("idempotency_key", keyword, annotation=IdempotencyKey, default=None))
    parameters.append(inspect.Parameter("caller", keyword, annotation=Caller, default=Depends(require_caller)))
    serve.__signature__ = inspect.Signature(parameters, return_annotation=dict)
    serve.__name__ = serve.__qualname__ = route.name
    serve.__doc__ = route.doc or None
    return serve


def install(router: APIRouter, routes: tuple[Route, ...]) -> None:
    """Adds every route of the table to the router, in order (FastAPI matches in that order)."""
    for route in routes:
        router.add_api_route(route.path, handler(route), methods=[route.method], name=route.name,
                             response_model=route.response_model, status_code=route.status_code,
                             responses=route.responses or None, **route.extra)
