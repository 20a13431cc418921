package assessment

import (
	"reflect"
	"testing"
)

func TestDiffRows(t *testing.T) {
	a := []string{"web", "4"}
	b := []string{"db", "8"}
	c := []string{"cache", "2"}
	d := []string{"proxy", "2"}
	for _, tc := range []struct {
		name     string
		old, new [][]string
		want     []RowChange
		same     int
	}{
		{"unchanged", [][]string{a, b}, [][]string{a, b}, nil, 2},
		{"one cell changed", [][]string{a, b, c}, [][]string{a, {"db", "16"}, c}, []RowChange{{1, 1, []int{1}}}, 2},
		{"row added at the end", [][]string{a, b}, [][]string{a, b, c}, []RowChange{{-1, 2, nil}}, 2},
		{"row inserted at the top does not shift the rest", [][]string{a, b}, [][]string{c, a, b}, []RowChange{{-1, 0, nil}}, 2},
		{"row removed in the middle", [][]string{a, b, c}, [][]string{a, c}, []RowChange{{1, -1, nil}}, 2},
		{"changed and added", [][]string{a, b}, [][]string{a, {"db", "16"}, d}, []RowChange{{1, 1, []int{1}}, {-1, 2, nil}}, 1},
		{"all new", nil, [][]string{a, b}, []RowChange{{-1, 0, nil}, {-1, 1, nil}}, 0},
		{"all gone", [][]string{a, b}, nil, []RowChange{{0, -1, nil}, {1, -1, nil}}, 0},
		{"two cells of a row, one kept", [][]string{{"web", "4", "x"}}, [][]string{{"db", "8", "x"}}, []RowChange{{0, 0, []int{0, 1}}}, 0},
		{"every cell of a row: unrelated", [][]string{a}, [][]string{{"db", "8"}}, []RowChange{{0, -1, nil}, {-1, 0, nil}}, 0},
		{"a row removed and the next one changed", [][]string{a, b, c}, [][]string{a, {"cache", "3"}}, []RowChange{{1, -1, nil}, {2, 1, []int{1}}}, 1},
		{"a row added at the top and the old first changed", [][]string{a}, [][]string{d, {"web", "5"}}, []RowChange{{-1, 0, nil}, {0, 1, []int{1}}}, 0},
		{"a row replaced by an unrelated one", [][]string{a, b}, [][]string{a, c}, []RowChange{{1, -1, nil}, {-1, 1, nil}}, 1},
		{"missing trailing cells are empty", [][]string{{"web", "4", ""}}, [][]string{{"web", "4"}}, nil, 1},
	} {
		got, same := DiffRows(tc.old, tc.new)
		if !reflect.DeepEqual(got, tc.want) || same != tc.same {
			t.Errorf("%s: DiffRows = %v, %d same; want %v, %d", tc.name, got, same, tc.want, tc.same)
		}
	}
}
