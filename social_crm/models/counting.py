"""The one helper behind the many "how many X point to this record" counters."""


def count_by(model, field, records, domain=()):
    """``{record: count}`` of ``model`` rows whose ``field`` is one of ``records``."""
    groups = model._read_group([(field, "in", records.ids), *domain], [field], ["__count"])
    return dict(groups)
