package handlers

import (
	"net/http"

	"groundwork/web"
)

// calibration serves the load tool's yardstick: one trivial query and a
// small page, with no session to look up, through the same middleware as
// every page (scripts/loadtest reports each page's throughput as a ratio
// to this one's, measured in the same run).
func (h *handler) calibration(w http.ResponseWriter, r *http.Request) error {
	now, err := h.store.Clock(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, web.Calibration(now))
}
