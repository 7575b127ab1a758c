package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat CPU times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// serverCPU measures the CPU time PostgreSQL's backends spend serving one
// database, read from /proc, so that a measurement can be set in CPU per
// transaction, which other load on a shared machine barely moves. It polls
// while running so backends that exit before the end (pgbench's) still count.
type serverCPU struct {
	server *sql.DB
	dbname string

	mu    sync.Mutex
	start map[int]time.Duration // backends' CPU when the meter started
	last  map[int]time.Duration // latest reading of every backend seen
	stop  chan struct{}
	done  chan struct{}
}

// startServerCPU starts measuring the backends of dbname.
func startServerCPU(ctx context.Context, server *sql.DB, dbname string) *serverCPU {
	m := &serverCPU{server: server, dbname: dbname, stop: make(chan struct{}), done: make(chan struct{})}
	m.start = m.read(ctx)
	m.last = m.start
	go func() {
		defer close(m.done)
		for {
			select {
			case <-m.stop:
				return
			case <-time.After(100 * time.Millisecond):
				m.sample(ctx)
			}
		}
	}()
	return m
}

func (m *serverCPU) sample(ctx context.Context) {
	now := m.read(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	next := make(map[int]time.Duration, len(m.last))
	for pid, t := range m.last {
		next[pid] = t
	}
	for pid, t := range now {
		next[pid] = t
	}
	m.last = next
}

// total stops the meter and returns the CPU time used since it started;
// ok is false where /proc cannot tell (not Linux, or another machine).
func (m *serverCPU) total(ctx context.Context) (used time.Duration, ok bool) {
	m.sample(ctx)
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	for pid, t := range m.last {
		used += t - m.start[pid]
	}
	return used, len(m.last) > 0
}

// read returns the CPU time of each backend connected to the database.
func (m *serverCPU) read(ctx context.Context) map[int]time.Duration {
	out := map[int]time.Duration{}
	rs, err := m.server.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = $1", m.dbname)
	if err != nil {
		return out
	}
	defer rs.Close()
	for rs.Next() {
		var pid int
		if rs.Scan(&pid) != nil {
			continue
		}
		if t, ok := procCPU(pid); ok {
			out[pid] = t
		}
	}
	return out
}

// procCPU reads a process's user + system CPU time from /proc.
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, false
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(user+sys) * clockTick, true
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageCPU is the CPU time a finished child process used.
func rusageCPU(ps *os.ProcessState) time.Duration {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return 0
}

// cpuCost is CPU time spent on some number of transactions.
type cpuCost struct {
	server, client time.Duration
	known          bool // whether the server's share could be read
	txs            float64
}

func (c *cpuCost) add(server, client time.Duration, known bool, txs float64) {
	c.server += server
	c.client += client
	c.known = known
	c.txs += txs
}

// perTx formats the cost per transaction.
func (c cpuCost) perTx() string {
	if !c.known || c.txs == 0 {
		return "CPU per transaction not measurable here"
	}
	return fmt.Sprintf("CPU per transaction: server %.0f µs + client %.0f µs = %.0f µs",
		us(c.server)/c.txs, us(c.client)/c.txs, us(c.server+c.client)/c.txs)
}

func (c cpuCost) total() float64 { return us(c.server+c.client) / c.txs }

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
