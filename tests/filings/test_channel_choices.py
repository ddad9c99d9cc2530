"""A filing channel is defined once, in icp.channels: the model field reads it from there."""

from __future__ import annotations

from filings.models import FilingApplication
from icp.channels import FILING_CHANNEL_LABELS, FilingChannel, filing_channel_choices


def test_the_channel_field_reads_the_kernel_choices_so_a_new_channel_needs_no_migration():
    field = FilingApplication._meta.get_field("channel")
    _, _, _, kwargs = field.deconstruct()

    assert kwargs["choices"] is filing_channel_choices
    assert [value for value, _ in field.choices or ()] == [c.value for c in FilingChannel]


def test_every_channel_has_a_label():
    assert set(FILING_CHANNEL_LABELS) == set(FilingChannel)
    assert dict(filing_channel_choices())["tencent_cloud"] == "Tencent Cloud"
