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
//   - months a date_range_value does not cover are 0 (the original has NaN);
//   - dates must fall on the first of a month, and ranges of one model must
//     not overlap;
//   - unknown keys inside a usage model or a service are refused (as the
//     original's strict schema does); unknown top-level keys are ignored;
//   - derived_sum accepts a single field;
//   - in `sets`, {var} templates may stand for any number of a usage model
//     (the original converts ranges, factor and start_with);
//   - StorageRaw is the modelled data with its HA copy, without the
//     estimation buffer; BufferPct is the original's "Buffer %" in percent.
package sizing
