package handlers

import (
	"math"
	"strings"
)

// Sizes for people: the engine's figures are exact (1,013.7109501 GB), which
// nobody reads. Pages show them rounded, up, since they are minimums, to
// three significant digits and never fewer than the whole number
// (1,014 GB; 12.4 TB; 0.17 TB), and keep the exact figure one click away.

// roundSize formats a size rounded up for reading.
func roundSize(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return num(x)
	}
	a := math.Abs(x)
	decimals := 0
	switch {
	case a >= 100:
		decimals = 0
	case a >= 1:
		decimals = 2 - int(math.Floor(math.Log10(a)))
	default:
		// Two significant digits below one: 0.17, 0.017.
		decimals = 1 - int(math.Floor(math.Log10(a)))
	}
	p := math.Pow10(decimals)
	// A hair of tolerance so that 2.0000000001 (binary noise) stays 2.
	r := math.Ceil(x*p-1e-6) / p
	s := num(r)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > decimals {
		s = s[:i] + "." + s[i+1:i+1+decimals]
	}
	return s
}

// storageGroupName names a resource-model storage group in words: the
// model counts operating-system disks in a group of their own (VM_os).
func storageGroupName(group string) string {
	switch strings.ToLower(group) {
	case "vm_os":
		return "operating system disks"
	case "ssd":
		return "SSD"
	case "sas":
		return "SAS disks"
	case "vm_other":
		return "other VM storage"
	}
	return strings.ReplaceAll(group, "_", " ")
}
