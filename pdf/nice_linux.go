package pdf

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/chromedp/chromedp"
	"golang.org/x/sys/unix"
)

// lowPriority starts Chromium at nice 10 (through nice, when it is on
// PATH), on half of the processors this server may use (through taskset,
// when there are two or more): a PDF keeps a core or two busy for a second
// or more, and the pages people are waiting for should not wait behind it.
// The kernel gives a process at nice 10 about a tenth of the processor
// time of one at 0 when both want it, so PDFs take longer only while the
// machine is busy. Nice alone still left pages waiting: Chromium prints
// with many threads at once, on every core. Confined to half of them it
// leaves the others to the server and PostgreSQL: with 32 people and a PDF
// every 3 s on 2 cores, the pages' p99 fell from 14-96 ms to 9-63 ms (the
// portfolio's from 142 to 37-46 ms), and a PDF took 1.9-2.2 s instead of
// 1.5-1.8 (docs/performance.md). Chromium sets some of its threads back to
// nice 0 or below, which only root may: as root it is started without that
// capability (CAP_SYS_NICE, through setpriv).
func lowPriority() []chromedp.ExecAllocatorOption { return niceOn(printCPUs()) }

// Nice starts Chromium as the renderer does, at nice 10 and without
// CAP_SYS_NICE, but on every processor: for a Chromium that should share
// the machine with the renderer's as an equal. The browser tests start
// theirs so (handlers/browsertest): at nice 0 they left the renderer's of
// tests run beside them a tenth of a core, and its renders ran out of time.
func Nice() []chromedp.ExecAllocatorOption { return niceOn("") }

// niceOn starts Chromium at nice 10, on the processors cpus lists (as
// taskset reads them; "" for all), without CAP_SYS_NICE when root.
func niceOn(cpus string) []chromedp.ExecAllocatorOption {
	nice, err := exec.LookPath("nice")
	if err != nil {
		return nil
	}
	prefix := []string{nice, "-n", "10"}
	if cpus != "" {
		if taskset, err := exec.LookPath("taskset"); err == nil {
			prefix = append([]string{taskset, "--cpu-list", cpus}, prefix...)
		}
	}
	if os.Geteuid() == 0 {
		if setpriv, err := exec.LookPath("setpriv"); err == nil {
			prefix = append([]string{setpriv, "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice"}, prefix...)
		}
	}
	return []chromedp.ExecAllocatorOption{chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
		cmd.Args = append(prefix[:len(prefix):len(prefix)], cmd.Args...) // Args[0] is Chromium's path
		cmd.Path = prefix[0]
		// What chromedp does when no ModifyCmdFunc is given: the browser
		// dies with this process.
		if cmd.SysProcAttr == nil {
			cmd.SysProcAttr = new(syscall.SysProcAttr)
		}
		cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	})}
}

// printCPUs lists the processors Chromium may use, as taskset reads them:
// the last half of those this process may use (at least one), or "" when
// it may use only one.
func printCPUs() string {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return ""
	}
	var cpus []string
	for i := range len(set) * 64 {
		if set.IsSet(i) {
			cpus = append(cpus, strconv.Itoa(i))
		}
	}
	if len(cpus) < 2 {
		return ""
	}
	return strings.Join(cpus[len(cpus)-len(cpus)/2:], ",")
}
