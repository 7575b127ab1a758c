package reading

import (
	"slices"
	"testing"

	"github.com/soulseer/soulseer/internal/ledger"
)

// OD-5: the reader's share of a charge is rounded down to the cent and the
// platform gets the rest, so the parts always add up to the charge.
func TestSplitRoundsTheReaderDown(t *testing.T) {
	for _, c := range []struct {
		cents            int64
		pct              int
		reader, platform int64
	}{
		{1, 30, 0, 1}, {3, 30, 2, 1}, {99, 30, 69, 30}, {101, 30, 70, 31},
		{1, 33, 0, 1}, {3, 33, 2, 1}, {99, 33, 66, 33}, {101, 33, 67, 34},
		{101, 0, 101, 0}, {101, 100, 0, 101}, {0, 30, 0, 0},
	} {
		if r, p := Split(c.cents, c.pct); r != c.reader || p != c.platform {
			t.Errorf("Split(%d, %d%%) = %d, %d; want %d, %d", c.cents, c.pct, r, p, c.reader, c.platform)
		}
	}
	for cents := range int64(1000) {
		for pct := range 101 {
			r, p := Split(cents, pct)
			exact := cents * int64(100-pct) // the reader's share × 100
			if r+p != cents || r*100 > exact || (r+1)*100 <= exact || p < 0 {
				t.Fatalf("Split(%d, %d%%) = %d, %d: not the reader's share rounded down plus the rest", cents, pct, r, p)
			}
		}
	}
}

// OD-5: each sweep's workers credit distinct platform revenue shards, never
// shard 0 (End's) and never beyond the bounded set; two instances sweeping
// side by side, each drawing its own, almost never pick the same set and
// share few shards, so their workers rarely queue on one account.
func TestRevenueShards(t *testing.T) {
	for _, workers := range []int{1, 4, 16, ledger.PlatformRevenueShards - 1, 100} {
		shards := revenueShards(workers)
		if len(shards) != workers {
			t.Fatalf("%d workers got %d shards", workers, len(shards))
		}
		distinct := slices.Compact(slices.Sorted(slices.Values(shards)))
		if want := min(workers, ledger.PlatformRevenueShards-1); len(distinct) != want {
			t.Errorf("%d workers share shards: %v", workers, shards)
		}
		if distinct[0] < 1 || distinct[len(distinct)-1] >= ledger.PlatformRevenueShards {
			t.Errorf("%d workers got shards outside 1..%d: %v", workers, ledger.PlatformRevenueShards-1, shards)
		}
	}
	const pairs = 1000
	same, shared := 0, 0
	for range pairs {
		a, b := revenueShards(4), revenueShards(4)
		slices.Sort(a)
		slices.Sort(b)
		if slices.Equal(a, b) {
			same++
		}
		for _, s := range a {
			if slices.Contains(b, s) {
				shared++
			}
		}
	}
	// Expected: same ≈ 1/595665 per pair, shared ≈ 4×4/63 ≈ 0.25 per pair.
	if same > 1 || float64(shared)/pairs > 0.5 {
		t.Fatalf("two instances' sweeps: %d of %d pairs chose the same shards, %.2f shared on average", same, pairs, float64(shared)/pairs)
	}
}
