package assessment

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed templates/*.yaml
var embedded embed.FS

// Catalog is a validated set of templates, every version of each.
type Catalog struct {
	templates []*Template // sorted by id, then version
}

// Summary describes one template version in a listing.
type Summary struct {
	ID         string   `json:"id"`
	Platform   Platform `json:"platform"`
	Version    int      `json:"version"`
	Title      string   `json:"title"`
	PhaseCount int      `json:"phase_count"`
	Latest     bool     `json:"latest"` // the newest version of this id
}

var loadEmbedded = sync.OnceValues(func() (*Catalog, error) {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		return nil, err
	}
	return LoadCatalog(sub)
})

// Embedded returns the catalog built into the binary, loaded and validated
// on first use. A server should call it at start and refuse to start on
// error: the error names the file and key of every problem.
func Embedded() (*Catalog, error) { return loadEmbedded() }

// LoadCatalog reads and validates every *.yaml file at the top of fsys, one
// template version per file. It reports all problems found, each naming its
// file and the key (phase, question, checkpoint or rule) at fault.
func LoadCatalog(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("catalog: no template files (*.yaml)")
	}
	c := &Catalog{}
	var errs []error
	seen := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t, err := ParseTemplate(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		id := fmt.Sprintf("%s@%d", t.ID, t.Version)
		if other, dup := seen[id]; dup {
			errs = append(errs, &TemplateError{File: name, Key: t.ID, Msg: fmt.Sprintf("version %d is also defined in %s", t.Version, other)})
			continue
		}
		seen[id] = name
		c.templates = append(c.templates, t)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(c.templates, func(i, j int) bool {
		a, b := c.templates[i], c.templates[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Version < b.Version
	})
	return c, nil
}

// ParseTemplate decodes and validates one template file; name is used in
// error messages.
func ParseTemplate(name string, data []byte) (*Template, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	t := &Template{}
	if err := dec.Decode(t); err != nil {
		return nil, &TemplateError{File: name, Msg: err.Error()}
	}
	t.file = path.Base(name)
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

// Templates returns every template version, sorted by id and version.
func (c *Catalog) Templates() []*Template { return c.templates }

// Template returns one version of a template. Assessments pin the version
// they started with, so later versions never change their questions.
func (c *Catalog) Template(id string, version int) (*Template, bool) {
	for _, t := range c.templates {
		if t.ID == id && t.Version == version {
			return t, true
		}
	}
	return nil, false
}

// Latest returns the newest version of a template.
func (c *Catalog) Latest(id string) (*Template, bool) {
	var latest *Template
	for _, t := range c.templates {
		if t.ID == id {
			latest = t
		}
	}
	return latest, latest != nil
}

// Summaries lists every template version, sorted by id and version.
func (c *Catalog) Summaries() []Summary {
	out := make([]Summary, len(c.templates))
	for i, t := range c.templates {
		out[i] = Summary{
			ID:         t.ID,
			Platform:   t.Platform,
			Version:    t.Version,
			Title:      t.Title,
			PhaseCount: len(t.Phases),
			Latest:     i == len(c.templates)-1 || c.templates[i+1].ID != t.ID,
		}
	}
	return out
}
