package sizing

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText prints every summary of r as a terminal table: the per-service
// table, then storage by group, VMs by size and the totals.
func WriteText(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	for i := range r.Summaries {
		s := &r.Summaries[i]
		if i > 0 {
			ew.printf("\n")
		}
		set := ""
		if s.Set != "" {
			set = " (set " + s.Set + ")"
		}
		ew.printf("%s%s: %s users, storage in %s\n\n", s.Date, set, fmtThousands(s.Users), s.StorageUnit)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		// Numbers align right; the service names are padded so they read
		// left-aligned.
		table := summarySections(s)[0]
		lines := [][]string{table.header}
		for _, row := range table.rows {
			cells := make([]string, len(row))
			for j, c := range row {
				cells[j] = cellText(c)
				if c == nil && row[0] != "Total" {
					cells[j] = "-"
				}
			}
			lines = append(lines, cells)
		}
		width := 0
		for _, l := range lines {
			width = max(width, len(l[0]))
		}
		for _, l := range lines {
			l[0] += strings.Repeat(" ", width-len(l[0]))
			fmt.Fprintln(tw, strings.Join(l, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		var groups []string
		for _, g := range sortedKeys(s.StorageByGroup) {
			groups = append(groups, g+" "+fmtNum(s.StorageByGroup[g]))
		}
		var sizes []string
		for _, k := range sizeKeys(s.VMsBySize) {
			sizes = append(sizes, fmt.Sprintf("%s × %d", k, s.VMsBySize[k]))
		}
		ew.printf("\nStorage by group (%s): %s\n", s.StorageUnit, strings.Join(groups, ", "))
		ew.printf("VMs by size (cores x RAM GB): %s\n", strings.Join(sizes, ", "))
		ew.printf("Totals: %d VMs, %s cores, %s GB RAM\n", s.Totals.VMs, fmtThousands(s.Totals.Cores), fmtThousands(s.Totals.RAMGB))
	}
	return ew.err
}

// WriteOpenCRVSText prints an OpenCRVS estimate: the servers, then every
// step of the disk calculation, then the notes.
func WriteOpenCRVSText(w io.Writer, e *OpenCRVSEstimate) error {
	ew := &errWriter{w: w}
	ew.printf("OpenCRVS, %s scale, %s records a year, disk for %d year(s)\n\n", e.Scale, fmtThousands(e.RecordsPerYear), e.Years)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENVIRONMENT\tSERVERS\tRAM GB\tCPUS\tDISK GB\tOS\t")
	for _, env := range e.Environments {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s, %s\t\n", env.Name, env.Count, env.RAMGB, env.CPUs, fmtThousands(env.DiskGB), env.OS, env.Arch)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if e.HasDataServers() {
		ew.printf("\nDisk (1 GB = 1000 MB = 1,000,000 kB):\n")
	} else {
		ew.printf("\nDisk of production, staging and backup servers, which a proof of concept does not have (1 GB = 1000 MB = 1,000,000 kB):\n")
	}
	for _, st := range e.Breakdown {
		ew.printf("  %s: %s\n", strings.ReplaceAll(st.Name, "_", " "), st.Formula)
	}
	ew.printf("\n")
	for _, n := range e.Notes {
		ew.printf("- %s\n", n)
	}
	return ew.err
}

// errWriter keeps the first write error so printing code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

// Write implements io.Writer.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
