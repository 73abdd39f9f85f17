"""The JSON fixture the JS tests render (tests/js/fixtures/records.json) is what Python sends today.

Regenerate it with ``make records`` (``.venv/bin/python -m tests.records_fixture``) after changing a
record type; then ``npx vitest run`` says whether the front end still reads every field.
"""

from __future__ import annotations

import json

import pytest

from tests.records_fixture import FIXTURE, records, render


@pytest.fixture(scope="module")
def fresh():
    return records()


def test_committed_fixture_is_up_to_date(fresh):
    committed = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert committed == fresh, "tests/js/fixtures/records.json is out of date: run `make records` and commit it"
    assert FIXTURE.read_text(encoding="utf-8") == render(fresh)


def test_every_example_has_exactly_the_fields_of_its_type(fresh):
    for name, record in fresh.items():
        if name in ("durations", "studio_table_config"):
            continue
        assert list(record["example"]) == record["fields"], name
