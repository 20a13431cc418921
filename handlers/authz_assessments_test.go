package handlers_test

import "net/http"

// Assessment routes in the authorization matrix. "Own" is an assessment of
// organisation A (the subjects' own), "other" one of organisation B; the
// requests carry empty forms, so a permitted change mostly changes nothing.
func init() {
	// Readable by everyone who can see the organisation.
	read := want{
		def:   http.StatusOK,
		own:   map[string]int{anon: http.StatusSeeOther},
		other: map[string]int{anon: http.StatusSeeOther, advisor: http.StatusNotFound, manager: http.StatusNotFound, viewer: http.StatusNotFound},
	}
	// Changed by the organisation's program managers: readers get 403,
	// strangers 404.
	edit := func(managerStatus int) want {
		return want{
			def:   http.StatusForbidden,
			own:   map[string]int{anon: http.StatusSeeOther, manager: managerStatus},
			other: map[string]int{anon: http.StatusSeeOther, advisor: http.StatusNotFound, manager: http.StatusNotFound, viewer: http.StatusNotFound},
		}
	}
	for _, r := range []string{
		"GET /assessments/{id}", "GET /assessments/{id}/export.json", "GET /assessments/{id}/report", "GET /assessments/{id}/history/{kind}/{item}",
		"GET /assessments/{id}/evidence/{evidence}", "GET /assessments/{id}/phases/{key}",
		"GET /assessments/{id}/phases/{key}/answers/{question}", "GET /assessments/{id}/phases/{key}/checkpoints/{checkpoint}",
		"GET /assessments/{id}/phases/{key}/revisions/{n}",
	} {
		matrix[r] = read
	}
	// The exports (checkpoint matrix, workbook, evidence pack), read like export.json.
	for _, r := range []string{"GET /assessments/{id}/checkpoints.csv", "GET /assessments/{id}/report.xlsx", "GET /assessments/{id}/evidence.zip"} {
		matrix[r] = read
	}
	// The PDF, read like the report; this server has no Chromium: 503 to
	// readers, 404 to strangers all the same.
	matrix["GET /assessments/{id}/report.pdf"] = want{def: http.StatusServiceUnavailable, own: read.own, other: read.other}
	matrix["GET /assessments"] = usersOnly(http.StatusOK)
	matrix["POST /assessments"] = same(http.StatusForbidden, map[string]int{anon: http.StatusSeeOther, manager: http.StatusUnprocessableEntity})
	matrix["POST /assessments/{id}/phases/{key}"] = edit(http.StatusSeeOther)
	matrix["POST /assessments/{id}/phases/{key}/answers/{question}"] = edit(http.StatusOK)
	matrix["POST /assessments/{id}/phases/{key}/checkpoints/{checkpoint}"] = edit(http.StatusOK)
	matrix["POST /assessments/{id}/phases/{key}/checkpoints/{checkpoint}/evidence"] = edit(http.StatusBadRequest) // no file
	matrix["POST /assessments/{id}/evidence/{evidence}/delete"] = edit(http.StatusSeeOther)
	// The action list's owners and due dates: the empty form names no item.
	matrix["POST /assessments/{id}/actions"] = edit(http.StatusUnprocessableEntity)
	// Renaming with no name is refused; archiving and restoring run last
	// (TestAuthorizationMatrix orders them), so the assessment is in use
	// for every other route.
	matrix["POST /assessments/{id}/name"] = edit(http.StatusUnprocessableEntity)
	matrix["POST /assessments/{id}/archive"] = edit(http.StatusSeeOther)
	matrix["POST /assessments/{id}/restore"] = edit(http.StatusSeeOther)

	matrix["POST /assessments/{id}/phases/{key}/submit"] = edit(http.StatusConflict)  // 1.1 is not complete
	matrix["POST /assessments/{id}/phases/{key}/waive"] = edit(http.StatusBadRequest) // 1.1 is not optional
	matrix["POST /assessments/{id}/phases/{key}/unwaive"] = edit(http.StatusSeeOther)
	// Reviewed by the organisation's assigned advisor; 1.1 is not submitted.
	review := edit(http.StatusForbidden)
	review.own[advisor] = http.StatusConflict
	matrix["POST /assessments/{id}/phases/{key}/review"] = review
	// Reopened by its program managers or its assigned advisor; 1.1 is not
	// approved.
	reopen := edit(http.StatusConflict)
	reopen.own[advisor] = http.StatusConflict
	matrix["POST /assessments/{id}/phases/{key}/reopen"] = reopen
	// Comments: written by managers, assigned advisors and admins (the
	// empty form is refused, 422), read only by viewers (403); only the
	// author (the manager) edits; managers and advisors resolve and reopen.
	talk := func(status int, own map[string]int) want {
		w := edit(status)
		w.def, w.other[admin] = http.StatusForbidden, status
		for k, v := range own {
			w.own[k] = v
		}
		return w
	}
	matrix["POST /assessments/{id}/phases/{key}/comments"] = talk(http.StatusUnprocessableEntity, map[string]int{advisor: 422, admin: 422})
	matrix["POST /assessments/{id}/phases/{key}/comments/{comment}/replies"] = talk(http.StatusUnprocessableEntity, map[string]int{advisor: 422, admin: 422})
	editComment := talk(http.StatusUnprocessableEntity, nil)
	editComment.other[admin] = http.StatusForbidden
	matrix["POST /assessments/{id}/phases/{key}/comments/{comment}/edit"] = editComment
	for _, action := range []string{"resolve", "reopen"} {
		w := talk(http.StatusSeeOther, map[string]int{advisor: http.StatusSeeOther})
		w.other[admin] = http.StatusForbidden
		matrix["POST /assessments/{id}/phases/{key}/comments/{comment}/"+action] = w
	}
}
