"""The gateway's own web pages (gateway/static/<page>/): the operator's board, the consultation room and the
administrators' staffing page. Each serves its own files only, with no inline script and no other origin:
their tokens sit in sessionStorage, so script injection is the thing to shut out."""
from pathlib import Path

from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def page_headers(img_src: str = "'self' data:", **more: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": f"default-src 'self'; img-src {img_src}; style-src 'self'; script-src 'self'; "
                                   "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
        **more,
    }


class Page(StaticFiles):
    """gateway/static/<folder>/, its index.html at the mount point, every answer with `headers`."""

    def __init__(self, folder: str, headers: dict[str, str]):
        super().__init__(directory=STATIC / folder, html=True)
        self.headers = headers

    async def get_response(self, path, scope):
        response = await super().get_response(path, scope)
        response.headers.update(self.headers)
        return response


def shared_scripts() -> Page:
    """The modules the pages share (gateway/static/shared/), at /shared/."""
    return Page("shared", page_headers())


def board_page() -> Page:
    return Page("board", page_headers())


def consultation_page() -> Page:
    # The room needs the camera and the microphone, from this origin alone.
    return Page("consultation", page_headers(**{"Permissions-Policy": "camera=(self), microphone=(self)"}))


def staffing_page() -> Page:
    # The chart is an image (a data: or blob: URL), never markup.
    return Page("staffing", page_headers("'self' data: blob:"))
