package handlers

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// packLimit bounds the time an evidence pack may take to stream.
const packLimit = time.Hour

// evidenceZip is the evidence pack, streamed: report.pdf (when a renderer
// is there), checkpoints.csv, report.xlsx, export.json, every evidence file
// at packPath, SHA256SUMS (as sha256sum writes them), and MANIFEST.txt
// last, one line per file:
// "<sha256 hex>  <size>  <path>". What can fail on the way (access, the
// assessment's state) fails before anything is sent, with its error page;
// then the headers go at once, so the download starts while the pack is
// made, and the evidence is copied from the database a chunk at a time
// (store.CopyEvidence). A failure after that aborts the connection, so
// the browser reports a failed download rather than keeping a cut archive.
func (h *handler) evidenceZip(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	talk, err := h.talk(r, ws)
	if err != nil {
		return err
	}
	rows := checkpointMatrix(ws, talk)
	doc, err := h.exportDocument(r, ws, talk)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/zip")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "assessment-" + itoa(ws.stored.ID) + "-evidence.zip"}))
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush() // the download starts now

	// A large pack outlives the request timeout: from here the stream ends
	// when it is done, when a write fails (the client went away), when the
	// client stalls (deadlineWriter), or after packLimit.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), packLimit)
	defer cancel()
	p := &pack{zw: zip.NewWriter(&deadlineWriter{w: w, rc: rc}), now: time.Now()}
	err = p.write(r.WithContext(ctx), h, ws, rows, doc)
	if err == nil {
		err = p.zw.Close()
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "evidence pack cut short", "assessment", ws.stored.ID, "err", err)
		panic(http.ErrAbortHandler) // headers are sent: only a cut connection says it failed
	}
	return nil
}

// write writes every file of the pack, SHA256SUMS and MANIFEST.txt last.
func (p *pack) write(r *http.Request, h *handler, ws *workspace, rows []matrixRow, doc *exportAssessment) error {
	if h.pdf.Available() {
		_, pdf, err := h.renderPDF(r)
		switch {
		case err != nil:
			h.log.WarnContext(r.Context(), "evidence pack without report.pdf", "assessment", ws.stored.ID, "err", err)
		default:
			if err := p.file("report.pdf", zip.Deflate, func(w io.Writer) error { _, err := w.Write(pdf); return err }); err != nil {
				return err
			}
		}
	}
	if err := p.file("checkpoints.csv", zip.Deflate, func(w io.Writer) error { return writeMatrixCSV(w, rows) }); err != nil {
		return err
	}
	if err := p.file("report.xlsx", zip.Store, func(w io.Writer) error { return writeReportXLSX(w, ws, rows) }); err != nil {
		return err
	}
	if err := p.file("export.json", zip.Deflate, func(w io.Writer) error { return writeExport(w, doc) }); err != nil {
		return err
	}
	actor := userFrom(r.Context()).ID
	for _, ph := range ws.template.Phases {
		for _, c := range ph.Checkpoints {
			for _, e := range ws.stored.Evidence[c.Key] {
				// Evidence is mostly compressed already (PDF, images,
				// office files): stored, not deflated, to spare the CPU.
				err := p.file(packPath(ph.Key, e), zip.Store, func(w io.Writer) error {
					n, err := h.store.CopyEvidence(r.Context(), actor, ws.stored.ID, e.ID, w)
					if err == nil && n != int64(e.Size) {
						err = fmt.Errorf("evidence %d: %d bytes, want %d", e.ID, n, e.Size)
					}
					return err
				})
				if err != nil {
					return err
				}
			}
		}
	}
	// The same sums as sha256sum writes them, for `sha256sum -c SHA256SUMS`
	// in the unpacked folder; MANIFEST.txt adds the sizes.
	var m, sums strings.Builder
	for _, f := range p.files {
		fmt.Fprintf(&m, "%s  %d  %s\n", f.sum, f.size, f.path)
		fmt.Fprintf(&sums, "%s  %s\n", f.sum, f.path)
	}
	if err := p.file("SHA256SUMS", zip.Deflate, func(w io.Writer) error { _, err := io.WriteString(w, sums.String()); return err }); err != nil {
		return err
	}
	return p.file("MANIFEST.txt", zip.Deflate, func(w io.Writer) error { _, err := io.WriteString(w, m.String()); return err })
}

// pack writes files into a zip, keeping each one's SHA-256 and size for
// the manifest.
type pack struct {
	zw    *zip.Writer
	now   time.Time
	files []packFile
}

type packFile struct {
	path, sum string
	size      int64
}

// file adds one file, written by write.
func (p *pack) file(path string, method uint16, write func(io.Writer) error) error {
	w, err := p.zw.CreateHeader(&zip.FileHeader{Name: path, Method: method, Modified: p.now})
	if err != nil {
		return err
	}
	c := &countingHash{w: w, h: sha256.New()}
	if err := write(c); err != nil {
		return fmt.Errorf("pack %s: %w", path, err)
	}
	if path != "MANIFEST.txt" && path != "SHA256SUMS" {
		p.files = append(p.files, packFile{path: path, sum: hex.EncodeToString(c.h.Sum(nil)), size: c.n})
	}
	return nil
}

// countingHash passes writes on to w, counting and hashing them.
type countingHash struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (c *countingHash) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.h.Write(b[:n])
	c.n += int64(n)
	return n, err
}

// deadlineWriter moves the connection's write deadline forward as the
// pack goes out, so that the server's WriteTimeout bounds a stalled client
// rather than the length of a large download on a slow line.
type deadlineWriter struct {
	w    io.Writer
	rc   *http.ResponseController
	next time.Time
}

func (d *deadlineWriter) Write(b []byte) (int, error) {
	if now := time.Now(); now.After(d.next) {
		if err := d.rc.SetWriteDeadline(now.Add(2 * time.Minute)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return 0, err
		}
		d.next = now.Add(time.Second)
	}
	return d.w.Write(b)
}
