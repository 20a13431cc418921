package sizing

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr string
	}{
		{"600000", 600000, ""},
		{"20GB", 20e9, ""},
		{"1TB", 1e12, ""},
		{"50KB", 50e3, ""},
		{"200MB", 200e6, ""},
		{"250 GB", 250e9, ""},
		{"0", 0, ""},
		{"1.5TB", 0, "unknown storage unit"},
		{"50PB", 0, "unknown storage unit"},
		{"GB", 0, "whole number"},
		{"", 0, "empty"},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseSize(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseMonth(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{"20210701", "2021-07", ""},
		{"2021-07", "2021-07", ""},
		{"2021-7", "2021-07", ""}, // the original's strptime takes it
		{"2021-x", "", "YYYY-MM"},
		{"2021-07-01", "2021-07", ""},
		{"20211201", "2021-12", ""},
		{"20210715", "", "first day"},
		{"20211301", "", "no month 13"},
		{"2021/07", "", "YYYY-MM"},
		{"July 2021", "", "YYYY-MM"},
		{"18990101", "", "year outside"},
	}
	for _, tt := range tests {
		got, err := ParseMonth(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseMonth(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	if got := NewMonth(2021, 12) + 1; got.String() != "2022-01" {
		t.Errorf("December + 1 = %s, want 2022-01", got)
	}
}
