package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"go.yaml.in/yaml/v3"

	"groundwork/store/storetest"
)

// compose is the part of docker-compose.yml the tests check.
type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func loadCompose(t *testing.T) compose {
	t.Helper()
	var c compose
	if err := yaml.Unmarshal([]byte(readFile(t, "../../docker-compose.yml")), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

func knownVar(name string) bool {
	return slices.ContainsFunc(EnvVars, func(v EnvVar) bool { return v.Name == name })
}

func TestComposeFile(t *testing.T) {
	c := loadCompose(t)
	db, app := c.Services["db"], c.Services["app"]
	if !strings.HasPrefix(db.Image, "postgres:16") {
		t.Errorf("db image = %q, want postgres:16", db.Image)
	}
	if !strings.Contains(strings.Join(db.Healthcheck.Test, " "), "pg_isready") {
		t.Errorf("db health check = %v, want pg_isready", db.Healthcheck.Test)
	}
	if app.Build == nil {
		t.Error("app is not built from the Dockerfile")
	}
	if got := app.DependsOn["db"].Condition; got != "service_healthy" {
		t.Errorf("app waits for db condition %q, want service_healthy", got)
	}
	// PDFs: the chrome service's browser, reached over the compose network.
	chrome := c.Services["chrome"]
	if !strings.HasPrefix(chrome.Image, "chromedp/headless-shell") {
		t.Errorf("chrome image = %q, want chromedp/headless-shell", chrome.Image)
	}
	if got := app.Environment["CHROME_URL"]; got != "http://chrome:9222" {
		t.Errorf("app CHROME_URL = %q, want http://chrome:9222", got)
	}
	if _, ok := app.DependsOn["chrome"]; !ok {
		t.Error("app does not depend on chrome")
	}
	for name := range app.Environment {
		if !knownVar(name) {
			t.Errorf("compose sets %s, which the server does not read", name)
		}
	}
	for _, name := range []string{"DATABASE_URL", "SESSION_SECRET", "BASE_URL"} {
		if _, ok := app.Environment[name]; !ok {
			t.Errorf("compose does not set %s", name)
		}
	}
}

func TestDockerfile(t *testing.T) {
	df := readFile(t, "../../Dockerfile")
	for _, want := range []string{"CGO_ENABLED=0", "USER nonroot", `HEALTHCHECK`, `CMD ["/server", "healthcheck"]`, `ENTRYPOINT ["/server"]`} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^FROM `).FindAllString(df, -1)); n < 2 {
		t.Errorf("Dockerfile has %d stages, want a multi-stage build", n)
	}
}

// TestComposeEnvironmentRunsTheServer starts the server with the app
// service's environment from docker-compose.yml (defaults filled in, the
// database pointed at a test database) and probes it with the Dockerfile's
// HEALTHCHECK command.
func TestComposeEnvironmentRunsTheServer(t *testing.T) {
	app := loadCompose(t).Services["app"]
	defaults := regexp.MustCompile(`\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}`)
	var env []string
	for name, value := range app.Environment {
		switch name {
		case "DATABASE_URL":
			value = storetest.DSN(t)
		case "SESSION_SECRET":
			value = strings.Repeat("c", 64)
		case "ADDR":
			value = "127.0.0.1:0" // the container's :8080 may be taken here
		}
		env = append(env, name+"="+defaults.ReplaceAllString(value, "$2"))
	}
	p := startServer(t, env...)

	m := regexp.MustCompile(`CMD \["/server", (.*)\]`).FindStringSubmatch(readFile(t, "../../Dockerfile"))
	if m == nil {
		t.Fatal("no HEALTHCHECK CMD in the Dockerfile")
	}
	var args []string
	for _, a := range strings.Split(m[1], ",") {
		args = append(args, strings.Trim(strings.TrimSpace(a), `"`))
	}
	addr := strings.TrimPrefix(p.url, "http://")
	if out, err := command([]string{"ADDR=" + addr}, args...).CombinedOutput(); err != nil {
		t.Errorf("HEALTHCHECK %v: %v: %s", args, err, out)
	}
	if !strings.Contains(p.stderr.String(), `"level":"INFO"`) {
		t.Errorf("compose asks for JSON logs; got:\n%s", p.stderr)
	}
	p.stop(t, syscall.SIGTERM)
}

func TestReadmeDocumentsEveryVariable(t *testing.T) {
	readme := readFile(t, "../../README.md")
	known := map[string]bool{}
	for _, v := range EnvVars {
		known[v.Name] = true
		if !strings.Contains(readme, "| `"+v.Name+"` |") {
			t.Errorf("README's configuration table lacks %s", v.Name)
		}
	}
	// And no row for a variable the server does not read.
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\|").FindAllStringSubmatch(readme, -1) {
		if !known[m[1]] {
			t.Errorf("README's configuration table documents %s, which the server does not read", m[1])
		}
	}
	for _, cmd := range []string{"go run ./cmd/server", "go test ./..."} {
		if !strings.Contains(readme, cmd) {
			t.Errorf("README quick start lacks %q", cmd)
		}
	}
	if ci := readFile(t, "../../.ci/run"); !strings.Contains(ci, "\ngo test ./...\n") {
		t.Error(".ci/run does not run the README's test command")
	}
}
