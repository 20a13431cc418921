package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"groundwork/store"
)

// TestDeleteOrganisationWaitsForAPersonBeingAdded: a delete that meets a
// person being added to the organisation in another transaction waits for
// it, then refuses (ErrOrganisationInUse), rather than failing on the
// foreign key; an empty one is deleted, for admins only.
func TestDeleteOrganisationWaitsForAPersonBeingAdded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org, err := f.st.CreateOrganisation(ctx, f.admin.ID, store.Organisation{Slug: "rg-ug", Name: "Registrar General", Platform: "opencrvs"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.DeleteOrganisation(ctx, f.manager.ID, org.ID); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a manager deletes: %v, want ErrForbidden", err)
	}
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO users (email, name, role, organisation_id) VALUES ('late@example.org', 'Late', 'manager', $1)`, org.ID); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- f.st.DeleteOrganisation(ctx, f.admin.ID, org.ID) }()
	select {
	case err := <-done:
		t.Fatalf("the delete did not wait for the person being added: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, store.ErrOrganisationInUse) {
		t.Errorf("delete after the person was added: %v, want ErrOrganisationInUse", err)
	}
	if _, err := f.pool.Exec(ctx, `DELETE FROM users WHERE email = 'late@example.org'`); err != nil {
		t.Fatal(err)
	}
	if err := f.st.DeleteOrganisation(ctx, f.admin.ID, org.ID); err != nil {
		t.Errorf("delete of the empty organisation: %v", err)
	}
	if _, err := f.st.Organisation(ctx, f.admin.ID, org.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the deleted organisation: %v, want ErrNotFound", err)
	}
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, org.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("assigning an advisor to the deleted organisation: %v, want ErrNotFound", err)
	}
}
