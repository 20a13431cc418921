package sizing

// Limits that keep parsing and computing bounded. The model endpoint is
// public, so every loop in the package is bounded by one of these.
const (
	// MaxConfigBytes is the largest resource-model config accepted (1 MiB).
	MaxConfigBytes = 1 << 20
	// MaxMonths is the longest timeline a config may define.
	MaxMonths = 600
	// MaxServices is the largest number of services in one config.
	MaxServices = 200
	// MaxUsageFields is the largest number of usage models in one config.
	MaxUsageFields = 500
	// MaxListItems bounds every list inside a usage model or a service
	// (ranges, dependant fields, data models, sub-processes).
	MaxListItems = 200
	// MaxSetCombinations bounds the cartesian product of `sets`.
	MaxSetCombinations = 50
	// MaxSummaryDates bounds summary_dates.
	MaxSummaryDates = 120

	// maxWork bounds the arithmetic of one run: scenarios × months × the
	// terms of every usage model and service. A config at the limit runs in
	// well under a second.
	maxWork = 20_000_000
	// maxOutputRows bounds scenarios × summary dates × services.
	maxOutputRows = 20_000

	// maxYAMLNodes bounds the size of the YAML document after alias
	// expansion, which is what stops a "billion laughs" document.
	maxYAMLNodes = 200_000
	// maxYAMLDepth bounds nesting, aliases included.
	maxYAMLDepth = 200
	// maxMagnitude bounds every number a config may hold; larger values are
	// typos or attacks, and keep sums far from overflow.
	maxMagnitude = 1e15
)
