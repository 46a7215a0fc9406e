"""The app run headless with Streamlit's AppTest, as a user opens it: with query parameters,
signed in or not, on one of its pages. Every step fails the test on an exception in the app.

The ledger it opens is set up by the `app_ledger_url` fixture (conftest.py)."""

from __future__ import annotations

from pathlib import Path

from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

from .builders import PASSWORDS

ROOT = Path(__file__).resolve().parents[1]  # the project folder, with app.py
PAGES = "tracker/app/pages"


def open_app(page: str | None = None, **params) -> AppTest:
    """The app opened with these query parameters, then on `page` (a file in tracker/app/pages,
    without .py) if given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return go_to(at, page)


def sign_in(name: str, page: str | None = None, *, password: str | None = None, **params) -> AppTest:
    """The app opened with these query parameters and signed in as `name` (with the password
    from PASSWORDS unless another is given), then on `page` if given."""
    at = open_app(**params)
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password or PASSWORDS[name])
    at.button[0].click().run()
    assert not at.exception, at.exception
    return go_to(at, page)


def go_to(at: AppTest, page: str | None) -> AppTest:
    if page:
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, at.exception
    return at


def popovers(at: AppTest, where=None) -> list[str]:
    """The labels of the popovers in `where` (the sidebar unless told), in page order: the
    sidebar's "as of" day and agreements filter, Fordeling's regions filter."""
    labels = []

    def walk(node) -> None:
        if isinstance(node.proto, BlockProto) and node.proto.WhichOneof("type") == "popover":
            labels.append(node.proto.popover.label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.sidebar if where is None else where)
    return labels
