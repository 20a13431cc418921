package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
// text|csv|xlsx] [-o PATH] [-s|--summary-dates 2021-07,2022-06] [-u|--usage
// FIELD] [--set NAME] [--service NAME]`: a resource-model config's tables,
// with the original tool's options. CONFIG may be - for standard input.
func sizingModel(e *env, args []string) error {
	fs := newFlagSet("sizing commcare-model")
	format := fs.String("format", "", "text, csv or xlsx")
	var output, dates, usage, set, service string
	for _, f := range []struct {
		dst         *string
		short, long string
		usage       string
	}{
		{&output, "o", "output", "write the workbook to this file; {name} stands for the set"},
		{&dates, "s", "summary-dates", "summary months YYYY-MM, comma-separated, instead of the config's"},
		{&usage, "u", "usage", "print this usage field for every month"},
	} {
		fs.StringVar(f.dst, f.short, "", f.usage)
		fs.StringVar(f.dst, f.long, "", f.usage)
	}
	fs.StringVar(&set, "set", "", "run only this set combination")
	fs.StringVar(&service, "service", "", "output only this service (the original's -s)")
	pos, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return usageError{"sizing commcare-model: " + err.Error()}
	case len(pos) != 1:
		return usageError{"sizing commcare-model needs one CONFIG.yml (or - for standard input)"}
	case *format != "" && *format != "text" && *format != "csv" && *format != "xlsx":
		return usageError{fmt.Sprintf("sizing commcare-model: --format %q: use text, csv or xlsx", *format)}
	case output != "" && *format != "" && *format != "xlsx":
		return usageError{"sizing commcare-model: -o writes a workbook; leave out --format or use --format xlsx"}
	case usage != "" && output == "" && (*format == "csv" || *format == "xlsx"):
		return usageError{"sizing commcare-model: --usage prints a table; with --format csv or xlsx, write the file with -o"}
	}
	opts := sizing.Options{Set: set, Service: service}
	if dates != "" {
		for _, d := range strings.Split(dates, ",") {
			m, err := sizing.ParseMonth(d)
			if err != nil {
				return usageError{fmt.Sprintf("sizing commcare-model: --summary-dates: %v (the original's -s, --service, is --service here)", err)}
			}
			opts.SummaryDates = append(opts.SummaryDates, m)
		}
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
	res, err := sizing.RunYAMLWith(data, opts)
	if err != nil {
		// A set, service or summary date the config lacks is the flag's
		// problem; anything else is the config's.
		if fe, ok := sizing.AsFieldError(err); ok && (fe.Field == "set" || fe.Field == "service" ||
			(fe.Field == "summary_dates" && len(opts.SummaryDates) > 0)) {
			return flagError("sizing commcare-model", err)
		}
		return fmt.Errorf("sizing commcare-model: %s: %w", path, err)
	}
	if usage != "" {
		if err := printUsage(e.stdout, res, usage); err != nil {
			return fmt.Errorf("sizing commcare-model: %s: %w", path, err)
		}
	}
	if output != "" {
		return writeWorkbooks(e, data, res, opts, output, filepath.Base(path))
	}
	switch *format {
	case "csv":
		return sizing.WriteCSV(e.stdout, res)
	case "xlsx":
		return sizing.WriteWorkbook(e.stdout, res, sizing.WorkbookInfo{FileName: filepath.Base(path), Version: version()})
	}
	return sizing.WriteText(e.stdout, res)
}

// printUsage prints one usage field month by month, per set, as the
// original's -u does.
func printUsage(w io.Writer, res *sizing.Result, field string) error {
	tables, err := res.Usage()
	if err != nil {
		return err
	}
	for _, t := range tables {
		vals, ok := t.Values[field]
		if !ok {
			return fmt.Errorf("--usage: no usage field %q (there are: %s)", field, strings.Join(t.Fields, ", "))
		}
		if t.Set != "" {
			fmt.Fprintf(w, "Set %s\n", t.Set)
		}
		fmt.Fprintf(w, "%-10s %s\n", "Month", field)
		for i, m := range t.Months {
			fmt.Fprintf(w, "%-10s %s\n", m, sizing.FormatUsage(vals[i]))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// writeWorkbooks is -o: one workbook, or, for several set combinations,
// one per combination at the path with {name} replaced, and the cross-set
// comparison as {name} = comparison, as the original writes them.
func writeWorkbooks(e *env, data []byte, res *sizing.Result, opts sizing.Options, pattern, file string) error {
	info := sizing.WorkbookInfo{FileName: file, Version: version()}
	write := func(path string, fn func(io.Writer) error) error {
		fmt.Fprintf(e.stdout, "Writing output to %q\n", path)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("sizing commcare-model: %w", err)
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("sizing commcare-model: %s: %w", path, err)
		}
		return f.Close()
	}
	sets := res.Sets()
	if len(sets) <= 1 {
		name := "default"
		if len(sets) == 1 {
			name = sets[0]
		}
		return write(strings.ReplaceAll(pattern, "{name}", name), func(w io.Writer) error { return sizing.WriteWorkbook(w, res, info) })
	}
	if !strings.Contains(pattern, "{name}") {
		return usageError{"sizing commcare-model: the config has several sets: add {name} to -o to write a workbook per set"}
	}
	for _, set := range sets {
		o := opts
		o.Set = set
		one, err := sizing.RunYAMLWith(data, o)
		if err != nil {
			return fmt.Errorf("sizing commcare-model: set %s: %w", set, err)
		}
		if err := write(strings.ReplaceAll(pattern, "{name}", set), func(w io.Writer) error { return sizing.WriteWorkbook(w, one, info) }); err != nil {
			return err
		}
	}
	if res.SetsSummaryDate == "" {
		return nil
	}
	return write(strings.ReplaceAll(pattern, "{name}", "comparison"), func(w io.Writer) error { return sizing.WriteSetComparison(w, res) })
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
