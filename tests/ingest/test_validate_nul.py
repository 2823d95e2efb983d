"""A NUL character (JSON's `\\u0000`) in a stored text field is refused with the field that holds it:
PostgreSQL text cannot hold it, and a signed webhook carrying one answered 500 there."""

from __future__ import annotations

import pytest

from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError, post_from_dict
from tests.ingest.test_validate_surrogates import _record


@pytest.mark.parametrize("path", ["text", "id", "author__handle", "author__name", "location__text", "lang"])
def test_a_nul_is_refused_with_its_field(path: str) -> None:
    checked = post_from_dict(_record(**{path: "a\x00b"}), line=3)
    assert checked == PostError(
        3, path.replace("__", "."), "holds a NUL character (\\u0000), which no text field can store"
    )


def test_a_nul_in_raw_is_kept_there() -> None:  # raw is stored as JSON text, escaped
    assert isinstance(post_from_dict(_record(raw={"source": "a\x00b"})), Post)
