// Package sizing estimates the servers a CommCare or OpenCRVS deployment
// needs. It holds four engines, all pure Go and safe to run on untrusted input:
//
//   - Tier: the CommCare HQ hardware tiers (single server, micro, small and
//     large cluster) from the expected number of mobile users;
//   - ParseConfig and Run: a re-implementation of Dimagi's
//     commcare_resource_model, which turns a YAML usage and service profile
//     into VMs, cores, RAM and storage per month;
//   - RunSimple: the resource model driven by the handful of numbers the
//     CommCare transition guide asks for, over a default service profile
//     (Dimagi's eCHIS config, embedded);
//   - EstimateOpenCRVS: OpenCRVS servers and disk from population or records.
//
// Results carry JSON tags so an HTTP layer can encode them as they are, and
// WriteCSV, WriteXLSX and WriteText render them as files or terminal tables.
// Every input problem comes back as a *FieldError naming the field.
//
// # Fidelity to the original resource model
//
// The model follows the project's specification of commcare_resource_model
// (formulas, buffers, storage placement, rounding, decimal arithmetic of the
// buffers) and reproduces its reference and cross-check values. Where the
// original would crash or silently misbehave, this package is stricter or
// defines the behaviour instead:
//
//   - months a date_range_value does not cover have no value, as in the
//     original (NaN): a product counts the gap as 1, a sum or factor keeps
//     it, a running total skips it, storage and RAM sums count it 0; where
//     the original would crash on it (a limited lifespan) or fill a table
//     with NaN (users, compute usage) it counts 0;
//   - dates must fall on the first of a month, and ranges of one model must
//     not overlap;
//   - unknown keys inside a usage model, a service, its storage or process
//     are refused (as the original's strict schema does); unknown top-level
//     and sub-process keys are ignored, as the original does;
//   - derived_sum accepts a single field;
//   - in `sets`, {var} templates may stand for any number of a usage model
//     (the original converts ranges, factor and start_with); a combination
//     is named by its named items only ("None" if it has none);
//   - Buffer is the original's "Buffer %" (a fraction), BufferPct the
//     same in percent to two decimals, for display.
//   - in a month where min_nodes binds while the service has no compute
//     VMs, the original divides by zero and loses the storage (NaN, 0 in
//     its group); here it is placed on the min_nodes VMs;
//   - keys that appear twice in a mapping are refused (PyYAML keeps the
//     last silently); sizes must be a whole number with an optional unit
//     and nothing after it ("1GBx" is 1 GB to the original); dates in
//     ranges must be the first of a month (the original shifts a
//     three-item range to the next month start and refuses a two-item
//     one); estimation_growth_factor is at most 1.
//
// Every config of the original's configs/ folder loads, and its values
// equal the original's (testdata/original). The original's rounding uses
// numpy, whose AVX-512 code computes 10**-1 as 0.09999999999999999 on some
// CPUs, so its output can differ by one rounding step from machine to
// machine; this package follows exact arithmetic, which is the original's
// output with those paths off.
package sizing
