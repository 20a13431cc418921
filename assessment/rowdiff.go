package assessment

// RowChange is one row of a table answer that differs between two
// versions: Old is -1 for an added row, New is -1 for a removed one, and
// both are set for a row changed in place, whose differing cells Cells
// lists. Indexes count from 0.
type RowChange struct {
	Old, New int
	Cells    []int
}

// DiffRows lines up two versions of a table's rows and returns the rows
// that differ, in the order of the new table (removed rows where they
// stood). Rows kept unchanged are matched first, as the longest common
// subsequence, so adding or removing a row in the middle does not make
// every row after it look changed; between two kept rows, a removed row and
// an added one that share a cell pair up as a row changed in place. It also
// returns how many rows stayed as they were.
func DiffRows(old, new [][]string) (changes []RowChange, same int) {
	// lcs[i][j] is the length of the longest common subsequence of
	// old[i:] and new[j:]. Tables are small (a few dozen rows at most).
	lcs := make([][]int, len(old)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(new)+1)
	}
	for i := len(old) - 1; i >= 0; i-- {
		for j := len(new) - 1; j >= 0; j-- {
			if equalRow(old[i], new[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var removed, added []int
	flush := func() {
		// Pair a removed row with a later added row only when they share a
		// cell (the most shared, the first on a tie), keeping both orders;
		// a row replaced by an unrelated one is a removal and an addition.
		next := 0 // the first added row still free to pair
		for _, r := range removed {
			best, shared := -1, 0
			for k := next; k < len(added); k++ {
				if n := sharedCells(old[r], new[added[k]]); n > shared {
					best, shared = k, n
				}
			}
			if best < 0 {
				changes = append(changes, RowChange{Old: r, New: -1})
				continue
			}
			for _, a := range added[next:best] {
				changes = append(changes, RowChange{Old: -1, New: a})
			}
			var cells []int
			a, b := old[r], new[added[best]]
			for c := range max(len(a), len(b)) {
				if cell(a, c) != cell(b, c) {
					cells = append(cells, c)
				}
			}
			changes = append(changes, RowChange{Old: r, New: added[best], Cells: cells})
			next = best + 1
		}
		for _, a := range added[next:] {
			changes = append(changes, RowChange{Old: -1, New: a})
		}
		removed, added = removed[:0], added[:0]
	}
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case i < len(old) && j < len(new) && equalRow(old[i], new[j]):
			flush()
			same++
			i, j = i+1, j+1
		case j < len(new) && (i == len(old) || lcs[i][j+1] >= lcs[i+1][j]):
			added = append(added, j)
			j++
		default:
			removed = append(removed, i)
			i++
		}
	}
	flush()
	return changes, same
}

// sharedCells counts the columns in which two rows hold the same value,
// empty cells apart.
func sharedCells(a, b []string) int {
	n := 0
	for k := range min(len(a), len(b)) {
		if a[k] != "" && a[k] == b[k] {
			n++
		}
	}
	return n
}

// equalRow compares two rows cell by cell; missing trailing cells count
// as empty.
func equalRow(a, b []string) bool {
	for k := range max(len(a), len(b)) {
		if cell(a, k) != cell(b, k) {
			return false
		}
	}
	return true
}

// cell returns row[k], or "" past its end.
func cell(row []string, k int) string {
	if k < len(row) {
		return row[k]
	}
	return ""
}
