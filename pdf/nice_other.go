//go:build !linux

package pdf

import "github.com/chromedp/chromedp"

// lowPriority: only Linux's Chromium is started at a lower priority.
func lowPriority() []chromedp.ExecAllocatorOption { return nil }

// Nice: only Linux's Chromium is started at a lower priority.
func Nice() []chromedp.ExecAllocatorOption { return nil }
