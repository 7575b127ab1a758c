package web

import "fmt"

// fileSize writes a file's size the way people read it: bytes below a
// kilobyte, then KB and MB with one decimal (1 KB = 1024 bytes).
func fileSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}
