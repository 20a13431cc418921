package handlers

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"groundwork/pdf"
	"groundwork/web"
)

// reportPDF is the readiness report printed to PDF by headless Chromium:
// the standalone report document (reportDocument), rendered by h.pdf. A
// PDF takes a second or more, so the link on the page shows progress
// (app.js, data-download): it adds ?download=TOKEN, and the response sets
// the short-lived cookie download_TOKEN that tells the page the download
// has begun.
func (h *handler) reportPDF(w http.ResponseWriter, r *http.Request) error {
	ws, out, err := h.renderPDF(r)
	switch {
	case ws == nil: // not loaded: not found, forbidden, the database
		return err
	case errors.Is(err, pdf.ErrUnavailable):
		return withCode(http.StatusServiceUnavailable, noPDFMessage, err)
	case errors.Is(err, pdf.ErrBusy):
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		return withCode(http.StatusServiceUnavailable, "Other reports are being made into PDFs at this moment. Wait a few seconds and try again.", err)
	case errors.Is(err, pdf.ErrTimeout):
		return withCode(http.StatusServiceUnavailable, "Making the PDF took longer than "+h.pdf.Timeout().String()+
			", so it was stopped. Try again in a minute; if it keeps happening, open the report and use your browser's Print → Save as PDF.", err)
	case err != nil:
		// Said here: the browser's errors (a failed exec, a lost
		// connection) would otherwise read as the database's.
		return withCode(http.StatusInternalServerError, "The PDF could not be made: the browser that prints it failed. "+
			"The problem has been logged; meanwhile, open the report and use your browser's Print → Save as PDF.", err)
	}
	if token := r.URL.Query().Get("download"); downloadToken.MatchString(token) {
		http.SetCookie(w, &http.Cookie{Name: "download_" + token, Value: "1", Path: "/", MaxAge: 60,
			SameSite: http.SameSiteLaxMode, Secure: h.opts.BaseURL.Scheme == "https"})
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="readiness-`+itoa(ws.stored.ID)+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(out)
	return err
}

// renderPDF prints the assessment's report (reportDocument) to PDF and
// counts the render in the metrics; report.pdf and the evidence pack use it.
func (h *handler) renderPDF(r *http.Request) (*workspace, []byte, error) {
	ws, doc, err := h.reportDocument(r, true)
	if err != nil {
		return nil, nil, err
	}
	endTurn(r) // Chromium prints without the database
	began := time.Now()
	out, err := h.pdf.Render(r.Context(), doc)
	if !errors.Is(err, pdf.ErrUnavailable) {
		h.metrics.pdfRendered(time.Since(began), err)
	}
	return ws, out, err
}

// downloadToken is the token app.js adds to a download link (letters and
// digits), named in the cookie that says the download began.
var downloadToken = regexp.MustCompile(`^[A-Za-z0-9]{8,40}$`)

// noPDFMessage answers report.pdf on a server without Chromium.
const noPDFMessage = "This server cannot make PDFs: it has no Chromium (its administrator can set CHROME_PATH or CHROME_URL). " +
	"Open the report and use your browser's Print → Save as PDF instead."

// pdfDownload is the report's PDF link for the assessment at base: the
// link, or why there is none and what to do instead.
func (h *handler) pdfDownload(base string) web.PDFDownload {
	return web.PDFDownload{Href: base + "/report.pdf", ReportHref: base + "/report", Available: h.pdf.Available()}
}
