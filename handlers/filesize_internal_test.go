package handlers

import "testing"

func TestFileSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 byte", 14: "14 bytes", 999: "999 bytes", 1000: "1 KB", 1024: "1 KB",
		1536: "1.5 KB", 10188: "9.9 KB", 10189: "10 KB", 163115: "159 KB", 1023999: "1000 KB",
		1024000: "1 MB", 2516582: "2.4 MB", 25 << 20: "25 MB", 3 << 30: "3 GB",
	} {
		if got := fileSize(n); got != want {
			t.Errorf("fileSize(%d) = %q, want %q", n, got, want)
		}
	}
}
