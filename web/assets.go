// Package web holds Groundwork's templ components and its static assets
// (CSS, vendored htmx), embedded in the binary.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// StaticFile is an embedded asset served under a content-hashed name.
type StaticFile struct {
	Name        string // hashed name, e.g. app.3f2a1b9c0d.css
	ContentType string
	ETag        string
	Body        []byte
}

var (
	byName   = map[string]string{}      // "app.css" -> "/static/app.3f2a1b9c0d.css"
	byHashed = map[string]*StaticFile{} // "app.3f2a1b9c0d.css" -> file
)

func init() {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		byName[e.Name()] = "/static/" + hashed
		byHashed[hashed] = &StaticFile{Name: hashed, ContentType: ctype, ETag: `"` + hash + `"`, Body: body}
	}
}

// Asset returns the content-hashed URL of a static file, such as
// "/static/app.3f2a1b9c0d.css" for "app.css". Because the URL changes with
// the content, browsers may cache it forever. It panics on an unknown name,
// which the tests of every page catch.
func Asset(name string) string {
	u, ok := byName[name]
	if !ok {
		panic("web: unknown asset " + name)
	}
	return u
}

// Static returns the asset with the given hashed name.
func Static(hashed string) (*StaticFile, bool) {
	f, ok := byHashed[hashed]
	return f, ok
}

// AssetText returns a static file's content, for a document that carries
// its stylesheet inline (the report for headless Chromium). It panics on
// an unknown name, like Asset.
func AssetText(name string) string {
	u, ok := byName[name]
	if !ok {
		panic("web: unknown asset " + name)
	}
	return string(byHashed[strings.TrimPrefix(u, "/static/")].Body)
}
