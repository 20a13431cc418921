package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"groundwork/assessment/sizing"
)

// sizingCmd is `server sizing commcare|commcare-model|opencrvs ...`: the
// sizing engine in a terminal, with no database. Flag values go through the
// engine's own form readers, so they accept what the web form accepts
// (30,000,000 included) and a bad one is named by its flag.
func sizingCmd(_ context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"sizing needs a subcommand: commcare, commcare-model or opencrvs"}
	}
	switch args[0] {
	case "commcare":
		return sizingTier(e, args[1:])
	case "commcare-model":
		return sizingModel(e, args[1:])
	case "opencrvs":
		return sizingOpenCRVS(e, args[1:])
	}
	return usageError{fmt.Sprintf("unknown sizing command %q (use commcare, commcare-model or opencrvs)", args[0])}
}

// sizingTier is `server sizing commcare --users N [--ha]`.
func sizingTier(e *env, args []string) error {
	fs := newFlagSet("sizing commcare")
	users := fs.String("users", "", "expected mobile users")
	ha := fs.Bool("ha", false, "high availability is required")
	pos, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return usageError{"sizing commcare: " + err.Error()}
	case len(pos) > 0:
		return usageError{fmt.Sprintf("sizing commcare takes no arguments, got %q", pos)}
	case *users == "":
		return usageError{"sizing commcare needs --users N"}
	}
	t, err := sizing.TierFromForm(map[string][]string{"users": {*users}, "ha": {strconv.FormatBool(*ha)}})
	if err != nil {
		return flagError("sizing commcare", err)
	}
	servers := strconv.Itoa(t.Servers)
	if t.Tier == sizing.TierLarge {
		servers = "more than 5"
	}
	fmt.Fprintf(e.stdout, "%s: %s server(s)\n", t.Name, servers)
	var spec []string
	if t.PerServer.VCPUs > 0 {
		spec = append(spec, fmt.Sprintf("%d vCPUs", t.PerServer.VCPUs))
	}
	if t.PerServer.RAMGB > 0 {
		spec = append(spec, fmt.Sprintf("%d GB RAM", t.PerServer.RAMGB))
	}
	disk := "disk"
	if t.PerServer.SSD {
		disk = "SSD"
	}
	if t.PerServer.DiskTB > 0 {
		disk = sizing.FormatNumber(t.PerServer.DiskTB) + " TB " + disk
	}
	spec = append(spec, disk)
	fmt.Fprintf(e.stdout, "Each server: %s (%s)\n\n", strings.Join(spec, ", "), t.PerServer.Note)
	for _, r := range t.Reasons {
		fmt.Fprintf(e.stdout, "- %s\n", r)
	}
	return nil
}

// sizingModel is `server sizing commcare-model CONFIG.yml [--format
// text|csv|xlsx]`: a resource-model config's per-service tables. CONFIG
// may be - for standard input.
func sizingModel(e *env, args []string) error {
	fs := newFlagSet("sizing commcare-model")
	format := fs.String("format", "text", "text, csv or xlsx")
	pos, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return usageError{"sizing commcare-model: " + err.Error()}
	case len(pos) != 1:
		return usageError{"sizing commcare-model needs one CONFIG.yml (or - for standard input)"}
	case *format != "text" && *format != "csv" && *format != "xlsx":
		return usageError{fmt.Sprintf("sizing commcare-model: --format %q: use text, csv or xlsx", *format)}
	}
	path := pos[0]
	var in io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("sizing commcare-model: %w", err)
		}
		defer f.Close()
		in = f
	}
	// One byte more than the limit, so the engine sees an oversized file
	// and says so.
	data, err := io.ReadAll(io.LimitReader(in, sizing.MaxConfigBytes+1))
	if err != nil {
		return fmt.Errorf("sizing commcare-model: %s: %w", path, err)
	}
	res, err := sizing.RunYAML(data)
	if err != nil {
		return fmt.Errorf("sizing commcare-model: %s: %w", path, err)
	}
	switch *format {
	case "csv":
		return sizing.WriteCSV(e.stdout, res)
	case "xlsx":
		return sizing.WriteXLSX(e.stdout, res)
	}
	return sizing.WriteText(e.stdout, res)
}

// crvsFlags are the opencrvs subcommand's flags and the engine's names.
var crvsFlags = []struct{ flag, field, usage string }{
	{"population", "population", "people the deployment serves"},
	{"birth-rate", "birth_rate", "crude birth rate per 1000 people"},
	{"death-rate", "death_rate", "crude death rate per 1000 people"},
	{"records-per-year", "records_per_year", "records a year, instead of population × rates"},
	{"attachments", "attachments", "average attachments per record"},
	{"years", "years", "years of records on disk (default 1)"},
	{"scale", "scale", "poc, pilot or national (default national)"},
}

// sizingOpenCRVS is `server sizing opencrvs --population N --birth-rate X
// --death-rate Y --attachments A [--years Y] [--records-per-year R]
// [--scale poc|pilot|national]`.
func sizingOpenCRVS(e *env, args []string) error {
	fs := newFlagSet("sizing opencrvs")
	vals := map[string]*string{}
	for _, f := range crvsFlags {
		vals[f.field] = fs.String(f.flag, "", f.usage)
	}
	pos, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return usageError{"sizing opencrvs: " + err.Error()}
	case len(pos) > 0:
		return usageError{fmt.Sprintf("sizing opencrvs takes no arguments, got %q", pos)}
	}
	form := map[string][]string{}
	for field, v := range vals {
		form[field] = []string{*v}
	}
	in, err := sizing.OpenCRVSInputFromForm(form)
	if err != nil {
		return flagError("sizing opencrvs", err)
	}
	est, err := sizing.EstimateOpenCRVS(in)
	if err != nil {
		return flagError("sizing opencrvs", err)
	}
	return sizing.WriteOpenCRVSText(e.stdout, est)
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses flags wherever they stand among the arguments, so
// `commcare-model echis.yml --format csv` works, and returns the others.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// flagError names the flag of an input problem: "--birth-rate: ...".
func flagError(cmd string, err error) error {
	fe, ok := sizing.AsFieldError(err)
	if !ok {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	toFlag := func(field string) string { return "--" + strings.ReplaceAll(field, "_", "-") }
	problem := fe.Problem
	for _, f := range crvsFlags {
		if strings.Contains(f.field, "_") {
			problem = strings.ReplaceAll(problem, f.field, toFlag(f.field))
		}
	}
	return fmt.Errorf("%s: %s: %s", cmd, toFlag(fe.Field), problem)
}
