"""Dump the original commcare_resource_model's results as JSON.

Run from a checkout of github.com/dimagi/commcare_resource_model (see
../README.md): it follows run_model.py's own control flow (sets, summary
dates, the sets comparison) with the original's functions, and prints what
the workbook shows, so tests can compare our engine with it. Nothing here
is used at build or test time.

    python3 dump.py CONFIG.yml > golden/NAME.json
"""
import json
import math
import sys
from collections import OrderedDict

sys.path.insert(0, '.')
from run_model import get_combined_sets  # noqa: E402
from core.config import config_from_path  # noqa: E402
from core.generate import generate_usage_data, generate_service_data  # noqa: E402
from core.summarize import summarize_service_data, get_summary_data, compare_summaries, \
    incremental_summaries  # noqa: E402
from core.utils import format_date  # noqa: E402


def num(v):
    if v is None or isinstance(v, str):
        return v
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def frame(df):
    """A data frame as {row: {column: value}}, column tuples joined by ' | '."""
    out = OrderedDict()
    for idx, row in df.iterrows():
        key = format_date(idx) if not isinstance(idx, str) else idx
        out[str(key)] = OrderedDict(
            (' | '.join(map(str, c)) if isinstance(c, tuple) else str(c), num(v))
            for c, v in row.items())
    return out


def main(path):
    config = config_from_path(path)
    combined = get_combined_sets(config.sets) if config.sets else [{'name': 'default'}]
    result = OrderedDict(sets=[])
    snapshots = OrderedDict()
    for ctx in combined:
        usage = generate_usage_data(config, ctx)
        service_data = generate_service_data(config, usage)
        dates = sorted(config.summary_date_vals or [usage.iloc[-1].name])
        summary_data = get_summary_data(config, service_data)
        summaries = OrderedDict()
        out = OrderedDict(name=ctx['name'], summaries=[])
        for date in dates:
            s = summarize_service_data(config, summary_data, date)
            summaries[date] = s
            out['summaries'].append(OrderedDict(
                date=format_date(date)[:7],
                users=num(usage.loc[date]['users']),
                storage_by_group={k: num(v) for k, v in s.storage_by_group.iloc[:, 0].items()},
                vms_by_size={str(k): num(v) for k, v in s.vm_slabs['Count'].items()},
                vms_by_type=frame(s.vm_aggs),
                services=frame(s.service_summary),
            ))
        if len(dates) > 1:
            comp = compare_summaries(config, summaries)
            inc = incremental_summaries(comp, dates)
            out['comparisons'] = {k: frame(getattr(comp, k)) for k in comp._fields}
            out['incremental'] = {k: frame(getattr(inc, k)) for k in inc._fields}
        out['usage'] = frame(usage)
        if len(combined) > 1 and config.sets_summary_date_val:
            snapshots[ctx['name']] = summaries[config.sets_summary_date_val]
        result['sets'].append(out)
    if snapshots:
        comp = compare_summaries(config, snapshots)
        result['set_comparison'] = {k: frame(getattr(comp, k)) for k in comp._fields}
    json.dump(result, sys.stdout, indent=1)


if __name__ == '__main__':
    main(sys.argv[1])
