package pgembed

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// owner is the account the server runs as when this process is root:
// initdb and postgres refuse to run as root.
type owner struct {
	name   string
	uid    uint32
	gid    uint32
	groups map[uint32]bool
}

// serverOwner returns nil when the server can run as the current user, and
// the postgres account when we are root.
func serverOwner() (*owner, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgembed: running as root, and PostgreSQL refuses to run as root, but there is no 'postgres' user to run it as: install the postgresql package (it creates that user), create the user, or run Groundwork as a normal user")
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	o := &owner{name: u.Username, uid: uint32(uid), gid: uint32(gid), groups: map[uint32]bool{uint32(gid): true}}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.ParseUint(id, 10, 32); err == nil {
				o.groups[uint32(g)] = true
			}
		}
	}
	return o, nil
}

// credential is what exec needs to run a program as the owner; nil means
// "as ourselves".
func (o *owner) credential() *syscall.Credential {
	if o == nil {
		return nil
	}
	return &syscall.Credential{Uid: o.uid, Gid: o.gid}
}

// chown hands a file to the owner; a no-op when we are not root.
func (o *owner) chown(path string) error {
	if o == nil {
		return nil
	}
	if err := os.Chown(path, int(o.uid), int(o.gid)); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	return nil
}

// canReach checks that the owner may traverse every directory down to dir;
// otherwise initdb would fail with a bare "permission denied". A common case
// is a checkout under /root, which is closed to other users.
func (o *owner) canReach(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("pgembed: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok && !o.mayTraverse(fi.Mode().Perm(), st.Uid, st.Gid) {
			return fmt.Errorf("pgembed: running as root, the private PostgreSQL runs as the %q user, which cannot enter %s (mode %v); set DATA_DIR to a directory that user can reach, e.g. DATA_DIR=/var/lib/groundwork, or run Groundwork as a normal user", o.name, d, fi.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

func (o *owner) mayTraverse(perm os.FileMode, uid, gid uint32) bool {
	switch {
	case uid == o.uid:
		return perm&0o100 != 0
	case o.groups[gid]:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}
