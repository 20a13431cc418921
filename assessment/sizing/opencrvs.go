package sizing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// OpenCRVS scales.
const (
	ScaleProofOfConcept = "poc"
	ScalePilot          = "pilot"
	ScaleNational       = "national"
)

// OpenCRVS figures from its "Set-up a server-hosted environment" page.
const (
	crvsAttachmentBytes = 400_000         // 0.4 MB per attachment
	crvsRecordBytes     = 18_330          // 18.33 kB of data per record
	crvsOSBytes         = 100_000_000_000 // 100 GB, counted once
	crvsOS              = "Ubuntu 24.04 (LTS) x64, headless"
	crvsArch            = "x86_64"
)

// Input bounds; larger values are mistakes.
const (
	maxPopulation  = 10e9
	maxRatePer1000 = 100 // the assessment's bound too; the highest national crude birth rates are under 50
	maxRecords     = 1e10
	maxAttachments = 1000
	maxYears       = 100
)

// OpenCRVSInput are the inputs of an OpenCRVS estimate. Give Population with
// BirthRate and DeathRate, or RecordsPerYear directly (Population is still
// needed at national scale, to size the production cluster).
type OpenCRVSInput struct {
	Population float64 `json:"population"`
	// BirthRate and DeathRate are crude rates per 1,000 people per year.
	BirthRate float64 `json:"birth_rate"`
	DeathRate float64 `json:"death_rate"`
	// RecordsPerYear, when more than zero, replaces population × rates.
	RecordsPerYear float64 `json:"records_per_year"`
	// Attachments is the average number of supporting documents a record has.
	Attachments float64 `json:"attachments"`
	// Years is the retention horizon for the disk; 0 means one year.
	Years int `json:"years"`
	// Scale is poc, pilot or national (the default).
	Scale string `json:"scale"`
}

// OpenCRVSEstimate is the servers and disk an OpenCRVS deployment needs.
// Disk figures use decimal units (1 GB = 1000 MB = 10^6 kB).
type OpenCRVSEstimate struct {
	Scale          string  `json:"scale"`
	Years          int     `json:"years"`
	RecordsPerYear float64 `json:"records_per_year"`
	// AttachmentsGB and RecordDataGB are per year.
	AttachmentsGB float64 `json:"attachments_gb"`
	RecordDataGB  float64 `json:"record_data_gb"`
	OSGB          float64 `json:"os_gb"`
	// AppDiskPerYearGB is OS + one year of records and attachments.
	AppDiskPerYearGB float64 `json:"app_disk_per_year_gb"`
	// AppDiskGB is OS + Years of records and attachments: the disk of each
	// production and staging server.
	AppDiskGB float64 `json:"app_disk_gb"`
	// BackupDiskGB is twice AppDiskGB.
	BackupDiskGB      float64       `json:"backup_disk_gb"`
	ProductionServers int           `json:"production_servers"`
	Environments      []Environment `json:"environments"`
	// Breakdown shows every step with its formula, for people to check.
	Breakdown []Step   `json:"breakdown"`
	Notes     []string `json:"notes"`
}

// Environment is one kind of OpenCRVS server and how many of it.
type Environment struct {
	Name   string  `json:"name"`
	Count  int     `json:"count"`
	RAMGB  int     `json:"ram_gb"`
	CPUs   int     `json:"cpus"`
	DiskGB float64 `json:"disk_gb"`
	OS     string  `json:"os"`
	Arch   string  `json:"arch"`
}

// Step is one line of a calculation: Formula is the arithmetic with the
// numbers filled in ("749,970 × 3 × 0.4 MB = 899,964 MB = 899.964 GB") and
// Value the result in Unit.
type Step struct {
	Name    string  `json:"name"`
	Formula string  `json:"formula"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
}

// EstimateOpenCRVS sizes an OpenCRVS deployment by OpenCRVS's own formula:
// attachments = records × attachments × 0.4 MB, record data = records ×
// 18.33 kB, application disk = 100 GB OS + record data + attachments (for
// each year kept), backup disk = 2 × application disk; production servers by
// population (< 30M → 2, < 60M → 3, otherwise 5).
func EstimateOpenCRVS(in OpenCRVSInput) (*OpenCRVSEstimate, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	scale := normScale(in.Scale)
	years := in.Years
	if years == 0 {
		years = 1
	}
	e := &OpenCRVSEstimate{Scale: scale, Years: years, Breakdown: make([]Step, 0, 7), Notes: make([]string, 0, 4)}

	if in.RecordsPerYear > 0 {
		e.RecordsPerYear = math.Round(in.RecordsPerYear)
		e.Breakdown = append(e.Breakdown, Step{"records_per_year",
			"given: " + fmtThousands(e.RecordsPerYear) + " records per year", e.RecordsPerYear, "records"})
	} else {
		e.RecordsPerYear = math.Round(in.Population * (in.BirthRate + in.DeathRate) / 1000)
		e.Breakdown = append(e.Breakdown, Step{"records_per_year",
			fmtThousands(in.Population) + " × (" + fmtNum(in.BirthRate) + " + " + fmtNum(in.DeathRate) + ") / 1000 = " +
				fmtThousands(e.RecordsPerYear) + " records per year", e.RecordsPerYear, "records"})
	}
	if e.RecordsPerYear < 1 {
		return nil, fieldErr("records_per_year", "comes to zero records a year; give a population with birth and death rates, or records_per_year")
	}
	r := e.RecordsPerYear
	attBytes := math.Round(r * in.Attachments * crvsAttachmentBytes)
	recBytes := math.Round(r * crvsRecordBytes)
	yearBytes := attBytes + recBytes
	appYear := crvsOSBytes + yearBytes
	app := crvsOSBytes + float64(years)*yearBytes

	e.AttachmentsGB = attBytes / 1e9
	e.RecordDataGB = recBytes / 1e9
	e.OSGB = 100
	e.AppDiskPerYearGB = appYear / 1e9
	e.AppDiskGB = app / 1e9
	e.BackupDiskGB = 2 * app / 1e9

	rs, recGB, attGB := fmtThousands(r), fmtThousands(e.RecordDataGB)+" GB", fmtThousands(e.AttachmentsGB)+" GB"
	appGB := fmtThousands(e.AppDiskGB) + " GB"
	appYearGB := appGB
	if years > 1 {
		appYearGB = fmtThousands(e.AppDiskPerYearGB) + " GB"
	}
	e.Breakdown = append(e.Breakdown,
		Step{"attachments_per_year", rs + " × " + fmtNum(in.Attachments) + " × 0.4 MB = " +
			fmtThousands(attBytes/1e6) + " MB = " + attGB, e.AttachmentsGB, "GB"},
		Step{"record_data_per_year", rs + " × 18.33 kB = " + fmtThousands(recBytes/1e3) + " kB = " + recGB,
			e.RecordDataGB, "GB"},
		Step{"operating_system", "100 GB, counted once", e.OSGB, "GB"},
		Step{"app_disk_per_year", "100 GB + " + recGB + " + " + attGB + " = " + appYearGB, e.AppDiskPerYearGB, "GB"},
	)
	if years > 1 {
		e.Breakdown = append(e.Breakdown, Step{"app_disk", "100 GB + " + strconv.Itoa(years) + " × (" + recGB + " + " +
			attGB + ") = " + appGB, e.AppDiskGB, "GB"})
	}
	e.Breakdown = append(e.Breakdown, Step{"backup_disk", "2 × " + appGB + " = " + fmtThousands(e.BackupDiskGB) + " GB",
		e.BackupDiskGB, "GB"})

	qa := Environment{Name: "qa", Count: 1, RAMGB: 16, CPUs: 4, DiskGB: 320, OS: crvsOS, Arch: crvsArch}
	prod := Environment{Name: "production", Count: 1, RAMGB: 16, CPUs: 8, DiskGB: e.AppDiskGB, OS: crvsOS, Arch: crvsArch}
	staging := Environment{Name: "staging", Count: 1, RAMGB: 16, CPUs: 8, DiskGB: e.AppDiskGB, OS: crvsOS, Arch: crvsArch}
	backup := Environment{Name: "backup", Count: 1, RAMGB: 1, CPUs: 2, DiskGB: e.BackupDiskGB, OS: crvsOS, Arch: crvsArch}
	switch scale {
	case ScaleProofOfConcept:
		e.Environments = []Environment{qa}
		e.Notes = append(e.Notes, "A proof of concept runs on one qa server with no backup, on the condition that it captures no live citizen data.",
			pocDiskNote(e))
	case ScalePilot:
		e.ProductionServers = 1
		e.Environments = []Environment{qa, prod, staging, backup}
		e.Notes = append(e.Notes, "A pilot that captures citizen data needs one server for each environment: qa, production, staging and backup.")
	default:
		e.ProductionServers = productionServers(in.Population)
		prod.Count = e.ProductionServers
		e.Environments = []Environment{qa, prod, staging, backup}
		e.Notes = append(e.Notes, "A population of "+fmtThousands(in.Population)+" needs a production cluster of "+
			strconv.Itoa(e.ProductionServers)+" servers (fewer than 30M: 2; 30M to 60M: 3; 60M or more: 5).")
	}
	e.Notes = append(e.Notes, crvsNotes...)
	return e, nil
}

// ScaleNotes are the notes that say why the servers are what they are at
// the estimate's scale (the first of Notes; the others hold at every
// scale).
func (e *OpenCRVSEstimate) ScaleNotes() []string {
	return e.Notes[:max(0, len(e.Notes)-len(crvsNotes))]
}

// HasDataServers reports whether the estimate has production, staging or
// backup servers: the servers AppDiskGB and BackupDiskGB size. A proof of
// concept has none. Its one qa server captures no live citizen data and has
// the fixed 320 GB of the specification table, so the formula's figures are
// then no requirement of any server: they say what a pilot or national
// deployment would need, and should not be shown as disks to buy.
func (e *OpenCRVSEstimate) HasDataServers() bool {
	for _, env := range e.Environments {
		switch env.Name {
		case "production", "staging", "backup":
			if env.Count > 0 {
				return true
			}
		}
	}
	return false
}

// pocDiskNote says what the disk formula means for a proof of concept.
func pocDiskNote(e *OpenCRVSEstimate) string {
	return "The disk formula sizes production, staging and backup servers, which a proof of concept does not have: " +
		"its qa server holds no live citizen data and needs 320 GB. The application disk (" + fmtThousands(math.Ceil(e.AppDiskGB)) +
		" GB) and backup disk (" + fmtThousands(math.Ceil(e.BackupDiskGB)) + " GB) are what a pilot or national deployment would need."
}

// crvsNotes apply to every OpenCRVS estimate.
var crvsNotes = []string{
	"Disk sizes are a minimum: monitor disk use and be able to grow it on demand.",
	"OpenCRVS runs only on x86_64 servers, not ARM.",
	"Servers belong in a Tier 2 or 3 data centre with at least a 10 Mbps connection, behind a government VPN.",
}

// productionServers is the production cluster size for a population.
func productionServers(population float64) int {
	switch {
	case population < 30e6:
		return 2
	case population < 60e6:
		return 3
	default:
		return 5
	}
}

func normScale(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", ScaleNational, "national_scale", "national-scale":
		return ScaleNational
	case ScalePilot:
		return ScalePilot
	case ScaleProofOfConcept, "proof_of_concept", "proof-of-concept":
		return ScaleProofOfConcept
	}
	return ""
}

// rateTooHigh refuses a crude birth or death rate over maxRatePer1000.
func rateTooHigh(v float64) string {
	return fmt.Sprintf("must be at most %s per 1000 people (got %s)", fmtNum(maxRatePer1000), fmtThousands(v))
}

func (in OpenCRVSInput) validate() error {
	checks := []struct {
		field string
		v     float64
		max   float64
	}{
		{"population", in.Population, maxPopulation},
		{"birth_rate", in.BirthRate, maxRatePer1000},
		{"death_rate", in.DeathRate, maxRatePer1000},
		{"records_per_year", in.RecordsPerYear, maxRecords},
		{"attachments", in.Attachments, maxAttachments},
	}
	for _, c := range checks {
		switch {
		case math.IsNaN(c.v) || math.IsInf(c.v, 0):
			return fieldErr(c.field, "must be a number")
		case c.v < 0:
			return fieldErr(c.field, fmt.Sprintf("must not be negative (got %s)", fmtNum(c.v)))
		case c.v > c.max && (c.field == "birth_rate" || c.field == "death_rate"):
			return fieldErr(c.field, rateTooHigh(c.v))
		case c.v > c.max:
			return fieldErr(c.field, fmt.Sprintf("%s is more than the largest sensible value, %s", fmtThousands(c.v), fmtThousands(c.max)))
		}
	}
	if in.Years < 0 || in.Years > maxYears {
		return fieldErr("years", fmt.Sprintf("must be between 1 and %d (got %d)", maxYears, in.Years))
	}
	scale := normScale(in.Scale)
	if scale == "" {
		return fieldErr("scale", fmt.Sprintf("unknown scale %q (use poc, pilot or national)", in.Scale))
	}
	if in.RecordsPerYear == 0 {
		if in.Population == 0 {
			return fieldErr("population", "give a population with birth and death rates, or records_per_year")
		}
		if in.BirthRate == 0 && in.DeathRate == 0 {
			return fieldErr("birth_rate", "give the crude birth and death rates per 1000 people, or records_per_year")
		}
	}
	if scale == ScaleNational && in.Population == 0 {
		return fieldErr("population", "needed at national scale to choose the number of production servers")
	}
	return nil
}

// AppDiskAtGB is the disk each application server needs once it holds the
// given years of records and attachments (AppDiskGB at Years); the backup
// server needs twice as much.
func (e *OpenCRVSEstimate) AppDiskAtGB(years int) float64 {
	return e.OSGB + float64(years)*(e.AttachmentsGB+e.RecordDataGB)
}
