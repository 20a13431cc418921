package sizing

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseYAML reads a document into a node tree without expanding aliases,
// then measures what expansion would cost and refuses documents that would
// blow up ("billion laughs") or nest too deep.
func parseYAML(data []byte) (*yaml.Node, error) {
	if len(data) > MaxConfigBytes {
		return nil, fieldErr(docField, fmt.Sprintf("is %d bytes; the limit is %d (1 MiB)", len(data), MaxConfigBytes))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// The parser names the line where it noticed the problem, which for
		// an unclosed bracket or a stray tab is often the line before.
		msg := "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "is not valid YAML: line "); ok {
			msg = "is not valid YAML near line " + rest
		}
		return nil, fieldErr(docField, msg)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fieldErr(docField, "is empty")
	}
	if err := checkExpansion(&doc); err != nil {
		return nil, err
	}
	return doc.Content[0], nil
}

// checkExpansion counts the nodes the document would have with every alias
// expanded, memoising shared subtrees so the count itself stays linear.
func checkExpansion(root *yaml.Node) error {
	const inProgress = -1
	memo := make(map[*yaml.Node]int)
	tooBig := fieldErr(docField, fmt.Sprintf("document too large after alias expansion (limit %d nodes)", maxYAMLNodes))
	var visit func(n *yaml.Node, depth int) (int, error)
	visit = func(n *yaml.Node, depth int) (int, error) {
		if depth > maxYAMLDepth {
			return 0, fieldErr(docField, fmt.Sprintf("document nested deeper than %d levels", maxYAMLDepth))
		}
		if v, ok := memo[n]; ok {
			if v == inProgress {
				return 0, fieldErr(docField, "document contains an alias that refers to itself")
			}
			return v, nil
		}
		memo[n] = inProgress
		size := 1
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			s, err := visit(n.Alias, depth+1)
			if err != nil {
				return 0, err
			}
			size += s
		}
		for _, c := range n.Content {
			s, err := visit(c, depth+1)
			if err != nil {
				return 0, err
			}
			size += s
			if size > maxYAMLNodes {
				return 0, tooBig
			}
		}
		if size > maxYAMLNodes {
			return 0, tooBig
		}
		memo[n] = size
		return size, nil
	}
	_, err := visit(root, 0)
	return err
}

// deref follows aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxYAMLDepth; i++ {
		n = n.Alias
	}
	return n
}

// pair is one key and value of a mapping.
type pair struct {
	key   string
	value *yaml.Node
}

// mappingPairs returns the pairs of a mapping node in document order, with
// merge keys (<<) applied and duplicate keys refused.
func mappingPairs(n *yaml.Node, path string) ([]pair, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, fieldErr(path, "must be a mapping of keys to values")
	}
	var out []pair
	seen := make(map[string]bool)
	var merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			return nil, fieldErr(path, "keys must be plain names")
		}
		if k.ShortTag() == "!!merge" {
			src := deref(v)
			var srcs []*yaml.Node
			if src != nil && src.Kind == yaml.SequenceNode {
				srcs = src.Content
			} else {
				srcs = []*yaml.Node{src}
			}
			for _, s := range srcs {
				ps, err := mappingPairs(s, path)
				if err != nil {
					return nil, err
				}
				merged = append(merged, ps...)
			}
			continue
		}
		if seen[k.Value] {
			return nil, fieldErr(join(path, k.Value), "key appears twice")
		}
		seen[k.Value] = true
		out = append(out, pair{k.Value, v})
	}
	for _, p := range merged {
		if !seen[p.key] {
			seen[p.key] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// sequence returns the items of a sequence node.
func sequence(n *yaml.Node, path string) ([]*yaml.Node, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil, fieldErr(path, "must be a list")
	}
	if len(n.Content) > MaxListItems {
		return nil, fieldErr(path, fmt.Sprintf("has %d items; the limit is %d", len(n.Content), MaxListItems))
	}
	return n.Content, nil
}

// scalar returns the text of a scalar node.
func scalar(n *yaml.Node, path string) (string, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", fieldErr(path, "must be a single value, not a list or mapping")
	}
	return n.Value, nil
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// str reads a string (numbers are accepted as their text).
func str(n *yaml.Node, path string) (string, error) {
	s, err := scalar(n, path)
	if err != nil {
		return "", err
	}
	if isNull(n) {
		return "", fieldErr(path, "must not be empty")
	}
	return s, nil
}

// parseNumber reads a finite number from text.
func parseNumber(s, path string) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	switch strings.ToLower(strings.TrimLeft(t, "+-")) {
	case ".inf", ".nan", "inf", "nan", "infinity":
		return 0, fieldErr(path, "must be a finite number")
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0o") {
			if i, err2 := strconv.ParseInt(t, 0, 64); err2 == nil {
				f, err = float64(i), nil
			}
		}
	}
	if err != nil {
		return 0, fieldErr(path, fmt.Sprintf("%q is not a number", s))
	}
	if !finite(f) {
		return 0, fieldErr(path, "must be a finite number")
	}
	if math.Abs(f) > maxMagnitude {
		return 0, fieldErr(path, fmt.Sprintf("%s is too large (limit %g)", s, maxMagnitude))
	}
	return f, nil
}

// number reads a finite number; quoted numbers are accepted.
func number(n *yaml.Node, path string) (float64, error) {
	s, err := scalar(n, path)
	if err != nil {
		return 0, err
	}
	switch deref(n).ShortTag() {
	case "!!bool":
		return 0, fieldErr(path, fmt.Sprintf("%q is not a number", s))
	case "!!null":
		return 0, fieldErr(path, "must be a number, not empty")
	}
	return parseNumber(s, path)
}

// nonNegative reads a number that must be zero or more.
func nonNegative(n *yaml.Node, path string) (float64, error) {
	f, err := number(n, path)
	if err != nil {
		return 0, err
	}
	if f < 0 {
		return 0, fieldErr(path, fmt.Sprintf("must not be negative (got %s)", fmtNum(f)))
	}
	return f, nil
}

// positive reads a number that must be more than zero.
func positive(n *yaml.Node, path string) (float64, error) {
	f, err := number(n, path)
	if err != nil {
		return 0, err
	}
	if f <= 0 {
		return 0, fieldErr(path, fmt.Sprintf("must be more than zero (got %s)", fmtNum(f)))
	}
	return f, nil
}

// count reads a whole number that must be zero or more.
func count(n *yaml.Node, path string) (int, error) {
	f, err := nonNegative(n, path)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) {
		return 0, fieldErr(path, fmt.Sprintf("must be a whole number (got %s)", fmtNum(f)))
	}
	return int(f), nil
}

// boolean reads true/false, accepting the YAML 1.1 spellings Python's
// loader accepts (yes/no/on/off).
func boolean(n *yaml.Node, path string) (bool, error) {
	s, err := scalar(n, path)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on", "y":
		return true, nil
	case "false", "no", "off", "n", "":
		return false, nil
	}
	return false, fieldErr(path, fmt.Sprintf("%q is not true or false", s))
}

// size reads a storage size (bytes, or an integer with KB/MB/GB/TB).
func size(n *yaml.Node, path string) (float64, error) {
	s, err := scalar(n, path)
	if err != nil {
		return 0, err
	}
	if isNull(n) {
		return 0, fieldErr(path, "must be a size, not empty")
	}
	if t := deref(n).ShortTag(); t == "!!float" {
		f, err := nonNegative(n, path)
		if err != nil {
			return 0, err
		}
		if f != math.Trunc(f) {
			return 0, fieldErr(path, fmt.Sprintf("%s must be a whole number of bytes, or a whole number with KB, MB, GB or TB", s))
		}
		return f, nil
	}
	if strings.HasPrefix(strings.TrimSpace(s), "-") {
		return 0, fieldErr(path, fmt.Sprintf("must not be negative (got %s)", s))
	}
	b, err := parseSize(s)
	if err != nil {
		return 0, fieldErr(path, err.Error())
	}
	return b, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// unknownKey is the error for a key the format does not have.
func unknownKey(path, key string, known []string) error {
	return fieldErr(join(path, key), fmt.Sprintf("unknown key (known keys: %s)", strings.Join(known, ", ")))
}
