package handlers

import "testing"

func TestRoundSize(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{1013.7109501, "1,014"},
		{0.16695, "0.17"},
		{2024.94, "2,025"},
		{12.345, "12.4"},
		{1.5, "1.5"},
		{2, "2"},
		{2.0000000001, "2"},
		{0.0123, "0.013"},
		{100, "100"},
		{99.91, "100"},
		{0, "0"},
	} {
		if got := roundSize(c.in); got != c.want {
			t.Errorf("roundSize(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStorageGroupName(t *testing.T) {
	if got := storageGroupName("VM_os"); got != "operating system disks" {
		t.Errorf("VM_os = %q", got)
	}
}
