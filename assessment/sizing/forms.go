package sizing

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"groundwork/assessment"
)

// The *FromForm functions read inputs from query or form values (a
// url.Values, passed as its underlying map so this package needs no net
// import). Numbers may carry thousands separators ("30,000,000"); a value
// that is not a number is a *FieldError naming the parameter.

// TierFromForm reads the users and ha parameters and calls Tier.
func TierFromForm(v map[string][]string) (TierResult, error) {
	users, err := formInt(v, "users", true)
	ha, haErr := formBool(v, "ha")
	if err != nil || haErr != nil {
		return TierResult{}, errors.Join(err, haErr)
	}
	return Tier(users, ha)
}

// OpenCRVSInputFromForm reads population, birth_rate, death_rate,
// records_per_year, attachments (required: 0 when records carry none),
// years (1 to 100; empty: one) and scale. Every field that cannot be read
// is reported, joined (FieldErrors lists them).
func OpenCRVSInputFromForm(v map[string][]string) (OpenCRVSInput, error) {
	var in OpenCRVSInput
	var errs []error
	var err error
	for _, f := range []struct {
		name string
		dst  *float64
		read func(string) (float64, string) // counts say "a whole number such as…"
	}{
		{"population", &in.Population, assessment.ReadWholeNumber}, {"birth_rate", &in.BirthRate, assessment.ReadNumber},
		{"death_rate", &in.DeathRate, assessment.ReadNumber}, {"records_per_year", &in.RecordsPerYear, assessment.ReadWholeNumber},
		{"attachments", &in.Attachments, assessment.ReadNumber},
	} {
		typed := formString(v, f.name)
		*f.dst, err = parseFormNumberWith(typed, f.name, f.read)
		switch {
		case err != nil:
			errs = append(errs, err)
		case *f.dst < 0: // said here too, so that it is marked with the others
			errs = append(errs, fieldErr(f.name, fmt.Sprintf("must not be negative (got %s)", fmtNum(*f.dst))))
		case f.name == "attachments" && typed == "":
			errs = append(errs, fieldErr("attachments", "required: the average number of supporting documents per record (0 if there are none)"))
		case (f.name == "birth_rate" || f.name == "death_rate") && *f.dst > maxRatePer1000:
			// A rate typed with a decimal comma ("17,299", read as 17,299)
			// is refused saying so, as the assessment's rate questions do.
			if hint := assessment.DecimalCommaHint(typed, 0, maxRatePer1000); hint != "" {
				errs = append(errs, fieldErr(f.name, rateTooHigh(*f.dst)+". "+hint))
			}
		}
	}
	if in.Years, err = formInt(v, "years", false); err != nil {
		errs = append(errs, err)
	} else if in.Years == 0 && formString(v, "years") != "" {
		errs = append(errs, fieldErr("years", "must be between 1 and 100 (got 0); leave it empty for one year"))
	}
	in.Scale = formString(v, "scale")
	return in, errors.Join(errs...)
}

// SimpleInputFromForm reads the simple form: start_date, current_users,
// end_date, target_users, existing_forms, existing_cases,
// existing_case_transactions, forms_per_user_month, new_cases_per_user_month,
// updated_cases_per_user_month, active_user_share, attachment_kb_per_form,
// and milestones as repeated milestone_date and milestone_users parameters
// in matching order.
func SimpleInputFromForm(v map[string][]string) (SimpleInput, error) {
	in := SimpleInput{StartDate: formString(v, "start_date"), EndDate: formString(v, "end_date")}
	var errs []error // every field that cannot be read, as the OpenCRVS form
	var err error
	for _, f := range []struct {
		name string
		dst  *int
	}{{"current_users", &in.CurrentUsers}, {"target_users", &in.TargetUsers}} {
		if *f.dst, err = formInt(v, f.name, false); err != nil {
			errs = append(errs, err)
		}
	}
	for _, f := range []struct {
		name string
		dst  *float64
	}{
		{"existing_forms", &in.ExistingForms}, {"existing_cases", &in.ExistingCases},
		{"existing_case_transactions", &in.ExistingCaseTransactions},
		{"forms_per_user_month", &in.FormsPerUserMonth}, {"new_cases_per_user_month", &in.NewCasesPerUserMonth},
		{"updated_cases_per_user_month", &in.UpdatedCasesPerUserMonth}, {"active_user_share", &in.ActiveUserShare},
		{"attachment_kb_per_form", &in.AttachmentKBPerForm},
	} {
		if *f.dst, err = formFloat(v, f.name); err != nil {
			if pct, ok := strings.CutSuffix(formString(v, f.name), "%"); ok && f.name == "active_user_share" {
				if p, problem := assessment.ReadNumber(pct); problem == "" {
					err = fieldErr(f.name, fmt.Sprintf("a share is a fraction between 0 and 1: for %s%%, write %s", fmtNum(p), fmtNum(p/100)))
				}
			}
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return in, errors.Join(errs...)
	}
	dates, users := v["milestone_date"], v["milestone_users"]
	if len(dates) > maxSimpleMilestones || len(users) > maxSimpleMilestones {
		return in, fieldErr("milestones", fmt.Sprintf("more than %d milestones", maxSimpleMilestones))
	}
	for i := 0; i < max(len(dates), len(users)); i++ {
		var d, u string
		if i < len(dates) {
			d = strings.TrimSpace(dates[i])
		}
		if i < len(users) {
			u = strings.TrimSpace(users[i])
		}
		if d == "" && u == "" {
			continue // an empty row of the form
		}
		field := fmt.Sprintf("milestones[%d].users", len(in.Milestones))
		n, err := parseFormNumberWith(u, field, assessment.ReadWholeNumber)
		if err != nil {
			return in, err
		}
		if n != math.Trunc(n) {
			return in, fieldErr(field, "must be a whole number")
		}
		in.Milestones = append(in.Milestones, Milestone{Date: d, Users: int(n)})
	}
	return in, nil
}

func formString(v map[string][]string, name string) string {
	if vals := v[name]; len(vals) > 0 {
		return strings.TrimSpace(vals[0])
	}
	return ""
}

// parseFormNumber reads a number typed by a person, by the rule every
// number field of the portal follows (assessment.ReadNumber: "2,500" is
// 2500, "2,5" is refused); empty means zero.
func parseFormNumber(s, field string) (float64, error) {
	return parseFormNumberWith(s, field, assessment.ReadNumber)
}

// parseFormNumberWith is parseFormNumber with the reader of its field's
// kind of number (assessment.ReadWholeNumber for a count).
func parseFormNumberWith(s, field string, read func(string) (float64, string)) (float64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	f, problem := read(s)
	if problem != "" {
		return 0, fieldErr(field, problem)
	}
	return f, nil
}

func formFloat(v map[string][]string, name string) (float64, error) {
	return parseFormNumber(formString(v, name), name)
}

func formInt(v map[string][]string, name string, required bool) (int, error) {
	s := formString(v, name)
	if s == "" && required {
		return 0, fieldErr(name, "required")
	}
	f, err := parseFormNumberWith(s, name, assessment.ReadWholeNumber)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) {
		return 0, fieldErr(name, fmt.Sprintf("must be a whole number (got %s)", fmtNum(f)))
	}
	if math.Abs(f) > 1e15 {
		return 0, fieldErr(name, fmt.Sprintf("%s is too large", s))
	}
	return int(f), nil
}

func formBool(v map[string][]string, name string) (bool, error) {
	switch strings.ToLower(formString(v, name)) {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, fieldErr(name, fmt.Sprintf("%q is not true or false", formString(v, name)))
}
