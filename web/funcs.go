package web

import "strconv"

func statusText(status int) string { return strconv.Itoa(status) }

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
