package sizing

import (
	"reflect"
	"strings"
	"testing"
)

func TestTierFromForm(t *testing.T) {
	tests := []struct {
		name    string
		v       map[string][]string
		tier    string
		field   string
		problem string
	}{
		{"plain", map[string][]string{"users": {"2000"}}, TierMicro, "", ""},
		{"separators and ha", map[string][]string{"users": {"1,200"}, "ha": {"true"}}, TierMicro, "", ""},
		{"large", map[string][]string{"users": {"15000"}, "ha": {"false"}}, TierLarge, "", ""},
		{"missing", map[string][]string{}, "", "users", "required"},
		{"not a number", map[string][]string{"users": {"many"}}, "", "users", "must be a whole number such as 12 or 2,500"},
		{"decimal comma", map[string][]string{"users": {"1,5"}}, "", "users", "a comma only separates thousands"},
		{"fraction", map[string][]string{"users": {"12.5"}}, "", "users", "whole number"},
		{"negative", map[string][]string{"users": {"-3"}}, "", "users", "negative"},
		{"bad ha", map[string][]string{"users": {"3"}, "ha": {"maybe"}}, "", "ha", "not true or false"},
		{"NaN", map[string][]string{"users": {"NaN"}}, "", "users", "must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TierFromForm(tt.v)
			if tt.field != "" {
				wantFieldError(t, err, tt.field, tt.problem)
				return
			}
			if err != nil || got.Tier != tt.tier {
				t.Errorf("got %v, %v; want %s", got.Tier, err, tt.tier)
			}
		})
	}
}

func TestOpenCRVSInputFromForm(t *testing.T) {
	in, err := OpenCRVSInputFromForm(map[string][]string{
		"population": {"30,000,000"}, "birth_rate": {"17.299"}, "death_rate": {"7.7"}, "attachments": {"3"}, "years": {"2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in != (OpenCRVSInput{Population: 30e6, BirthRate: 17.299, DeathRate: 7.7, Attachments: 3, Years: 2}) {
		t.Errorf("input = %+v", in)
	}
	_, err = OpenCRVSInputFromForm(map[string][]string{"population": {"lots"}})
	wantFieldError(t, err, "population", "must be a whole number such as 12 or 2,500")
	// "2,5" is refused, as on every number field of the portal, not read as 25.
	_, err = OpenCRVSInputFromForm(map[string][]string{"population": {"1000"}, "birth_rate": {"2,5"}})
	wantFieldError(t, err, "birth_rate", "the decimal mark is a point, and a comma only separates thousands")
	if in, err := OpenCRVSInputFromForm(map[string][]string{"population": {"8 900 000"}, "birth_rate": {"2.5"}, "attachments": {"0"}}); err != nil || in.Population != 8.9e6 || in.BirthRate != 2.5 {
		t.Errorf("8 900 000 and 2.5 = %v, %v, %v", in.Population, in.BirthRate, err)
	}
	// A rate over the bound typed with a decimal comma is refused saying
	// so; without a reading in range, the bound alone is said (by the
	// estimate, which checks the API's JSON too).
	_, err = OpenCRVSInputFromForm(map[string][]string{"population": {"1000000"}, "birth_rate": {"17,299"}, "death_rate": {"7.7"}})
	wantFieldError(t, err, "birth_rate", "must be at most 100 per 1000 people (got 17,299). The decimal mark is a point, and a comma only separates thousands: for 17 and a fraction, write 17.299.")
	_, err = OpenCRVSInputFromForm(map[string][]string{"population": {"1000000"}, "birth_rate": {"17.3"}, "death_rate": {"7,700"}})
	wantFieldError(t, err, "death_rate", "write 7.700")
	in, err = OpenCRVSInputFromForm(map[string][]string{"population": {"1000000"}, "birth_rate": {"172,990"}, "death_rate": {"7.7"}, "attachments": {"3"}})
	if err != nil {
		t.Fatalf("172,990 = %v, want it read (and refused by the estimate)", err)
	}
	_, err = EstimateOpenCRVS(in)
	wantFieldError(t, err, "birth_rate", "must be at most 100 per 1000 people (got 172,990)")
	if strings.Contains(err.Error(), "decimal mark") {
		t.Errorf("172,990 is out of range read either way, yet the refusal hints at a decimal comma: %v", err)
	}
	// Every field that cannot be read is reported, in the form's order;
	// an empty attachments field is one (0 must be typed), and so is a
	// typed 0 years (empty means one).
	_, err = OpenCRVSInputFromForm(map[string][]string{"population": {"abc"}, "birth_rate": {"17,299"}, "death_rate": {"-1"}, "years": {"0"}})
	var fields []string
	for _, fe := range FieldErrors(err) {
		fields = append(fields, fe.Field)
	}
	if strings.Join(fields, " ") != "population birth_rate death_rate attachments years" {
		t.Errorf("the fields refused = %q, want population, birth_rate, death_rate, attachments and years", fields)
	}
	_, err = OpenCRVSInputFromForm(map[string][]string{"population": {"1000000"}, "attachments": {"3"}, "years": {"1.5"}})
	wantFieldError(t, err, "years", "whole number")
	_, err = OpenCRVSInputFromForm(map[string][]string{"attachments": {"Inf"}})
	wantFieldError(t, err, "attachments", "must be a number")
}

func TestSimpleInputFromForm(t *testing.T) {
	in, err := SimpleInputFromForm(map[string][]string{
		"start_date": {"2025-01"}, "current_users": {"500"}, "end_date": {"2026-12"}, "target_users": {"5,000"},
		"existing_forms": {"1,000,000"}, "forms_per_user_month": {"100"}, "new_cases_per_user_month": {"20"},
		"updated_cases_per_user_month": {"60"}, "existing_cases": {"200000"},
		"milestone_date": {"2025-07", ""}, "milestone_users": {"2000", ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Milestones) != 1 || in.Milestones[0] != (Milestone{"2025-07", 2000}) {
		t.Errorf("milestones = %+v, want one at 2025-07 with 2000 users", in.Milestones)
	}
	want := simpleExample
	if !reflect.DeepEqual(in, want) {
		t.Errorf("input = %+v\nwant    %+v", in, want)
	}
	_, err = SimpleInputFromForm(map[string][]string{"milestone_date": {"2025-07"}, "milestone_users": {"x"}})
	wantFieldError(t, err, "milestones[0].users", "must be a whole number such as 12 or 2,500")
	// Every field that cannot be read is reported.
	_, err = SimpleInputFromForm(map[string][]string{"current_users": {"many"}, "forms_per_user_month": {"ten"}, "active_user_share": {"75%"}})
	var fields []string
	for _, fe := range FieldErrors(err) {
		fields = append(fields, fe.Field)
	}
	if strings.Join(fields, " ") != "current_users forms_per_user_month active_user_share" {
		t.Errorf("the simple form's fields refused = %q, want all three", fields)
	}
	if _, err := TierFromForm(map[string][]string{"users": {"x"}, "ha": {"maybe"}}); len(FieldErrors(err)) != 2 {
		t.Errorf("the tier form with two bad fields reports %v, want both", FieldErrors(err))
	}
	// A share typed as a percentage is refused with the fraction to write.
	_, err = SimpleInputFromForm(map[string][]string{"active_user_share": {"75%"}})
	wantFieldError(t, err, "active_user_share", "a share is a fraction between 0 and 1: for 75%, write 0.75")
	_, err = SimpleInputFromForm(map[string][]string{"forms_per_user_month": {"ten"}})
	wantFieldError(t, err, "forms_per_user_month", "must be a number")
	if in, err := SimpleInputFromForm(map[string][]string{"attachment_kb_per_form": {"1,500"}}); err != nil || in.AttachmentKBPerForm != 1500 {
		t.Errorf("attachment_kb_per_form 1,500: %v KB, %v; want 1500", in.AttachmentKBPerForm, err)
	}
}
