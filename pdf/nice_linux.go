package pdf

import (
	"os"
	"os/exec"
	"syscall"

	"github.com/chromedp/chromedp"
)

// lowPriority starts Chromium at nice 10 (through nice, when it is on
// PATH): a PDF keeps a core or two busy for a second or more, and the
// pages people are waiting for should not wait behind it. The kernel gives
// a process at nice 10 about a tenth of the processor time of one at 0
// when both want it, so PDFs take longer only while the machine is busy.
// Chromium sets some of its threads back to nice 0 or below, which only
// root may: as root it is started without that capability (CAP_SYS_NICE,
// through setpriv).
func lowPriority() []chromedp.ExecAllocatorOption {
	nice, err := exec.LookPath("nice")
	if err != nil {
		return nil
	}
	prefix := []string{nice, "-n", "10"}
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
