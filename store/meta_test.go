package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"groundwork/store"
	"groundwork/store/storetest"
)

func TestRecordStart(t *testing.T) {
	ctx := context.Background()
	s := storetest.Store(t)
	if _, err := s.Installation(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Installation before any start: err = %v, want ErrNotFound", err)
	}
	before := time.Now().Add(-time.Minute)
	if err := s.RecordStart(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
	first, err := s.Installation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.LastVersion != "v1" || first.InstalledAt.Before(before) {
		t.Errorf("after first start: %+v", first)
	}
	if err := s.RecordStart(ctx, "v2"); err != nil {
		t.Fatal(err)
	}
	second, err := s.Installation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.LastVersion != "v2" {
		t.Errorf("LastVersion = %q, want v2", second.LastVersion)
	}
	if !second.InstalledAt.Equal(first.InstalledAt) {
		t.Errorf("InstalledAt moved from %v to %v on a later start", first.InstalledAt, second.InstalledAt)
	}
}
