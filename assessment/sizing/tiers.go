package sizing

import "fmt"

// CommCare HQ hardware tier keys.
const (
	TierSingle = "single"
	TierMicro  = "micro"
	TierSmall  = "small"
	TierLarge  = "large"
)

// Tier boundaries in mobile users; each is the first count of the next tier.
const (
	microFrom = 1_500
	smallFrom = 3_500
	largeFrom = 15_000
)

// TierResult is the CommCare HQ hardware tier for a number of users.
type TierResult struct {
	// Tier is the key: single, micro, small or large.
	Tier string `json:"tier"`
	// Name is the tier's name in words ("Micro cluster").
	Name string `json:"name"`
	// Servers is the server count; for a large cluster the minimum (6,
	// "more than 5"), the real count coming from the resource model.
	Servers int `json:"servers"`
	// PerServer are the minimums for each server.
	PerServer PerServer `json:"per_server"`
	// Reasons explain the choice in words.
	Reasons []string `json:"reasons"`
}

// PerServer are minimum server specifications; zero fields are not fixed
// by the tier and come from the resource model.
type PerServer struct {
	VCPUs  int     `json:"vcpus,omitempty"`
	RAMGB  int     `json:"ram_gb,omitempty"`
	DiskTB float64 `json:"disk_tb,omitempty"`
	SSD    bool    `json:"ssd"`
	Note   string  `json:"note,omitempty"`
}

// Tier picks the CommCare HQ hardware tier (commcare-cloud's requirements
// page) for the expected number of mobile users. Boundaries are strict:
// fewer than 1,500 users is a single server, fewer than 3,500 a micro
// cluster, fewer than 15,000 a small cluster, otherwise a large cluster.
// High availability rules out the single server: it moves up to a micro
// cluster with the larger HA servers.
func Tier(users int, ha bool) (TierResult, error) {
	if users < 0 {
		return TierResult{}, fieldErr("users", fmt.Sprintf("must not be negative (got %d)", users))
	}
	n := fmtThousands(float64(users))
	switch {
	case users < microFrom && !ha:
		return TierResult{
			Tier: TierSingle, Name: "Single server", Servers: 1,
			PerServer: PerServer{VCPUs: 8, RAMGB: 32, DiskTB: 2, SSD: true,
				Note: "mid-range CPU (about 8 vCPUs); plan about 1 TB of storage per project-year"},
			Reasons: []string{
				n + " users is fewer than 1,500, so one server can run every part of CommCare HQ.",
				"This holds when each user has fewer than 10,000 active cases and no growth is planned.",
				"A single server has no high availability: if it fails, CommCare is down until it is restored.",
				"A demo monolith can run on 4 cores, 16 GB RAM and 40 GB disk, but not in production.",
			},
		}, nil
	case users < smallFrom:
		r := TierResult{Tier: TierMicro, Name: "Micro cluster", Servers: 2}
		if ha {
			r.PerServer = PerServer{VCPUs: 4, RAMGB: 32, DiskTB: 2, SSD: true,
				Note: "high-availability sizing: at least 32 GB RAM and 2 TB SSD on each server"}
		} else {
			r.PerServer = PerServer{VCPUs: 4, RAMGB: 16, DiskTB: 1, SSD: true,
				Note: "about 4 vCPUs, at least 16 GB RAM and 1 TB SSD on each server"}
		}
		if users < microFrom {
			r.Reasons = append(r.Reasons, n+" users would fit a single server, but high availability needs a second server, so this is a micro cluster.")
		} else {
			r.Reasons = append(r.Reasons, n+" users is at least 1,500 and fewer than 3,500: two servers running in parallel.")
		}
		if ha {
			r.Reasons = append(r.Reasons, "With high availability each server needs at least 32 GB RAM and 2 TB SSD.")
		} else {
			r.Reasons = append(r.Reasons, "Without high availability each server needs at least 16 GB RAM and 1 TB SSD; for HA or medium load, 32 GB and 2 TB.")
		}
		return r, nil
	case users < largeFrom:
		r := TierResult{
			Tier: TierSmall, Name: "Small cluster", Servers: 5,
			PerServer: PerServer{VCPUs: 4, RAMGB: 16, SSD: true,
				Note: "start with about 4 vCPU / 16 GB VMs; storage depends on each server's role"},
			Reasons: []string{
				n + " users is at least 3,500 and fewer than 15,000: five servers with the parts of CommCare HQ spread across them.",
				"Virtualisation is mandatory at this size; size each role's storage with the resource model.",
			},
		}
		if ha {
			r.Reasons = append(r.Reasons, "High availability comes from running each critical role on more than one server.")
		}
		return r, nil
	default:
		r := TierResult{
			Tier: TierLarge, Name: "Large cluster", Servers: 6,
			PerServer: PerServer{SSD: true, Note: "use the resource model for counts and sizes"},
			Reasons: []string{
				n + " users is 15,000 or more: a cluster of more than five servers.",
				"Size it with the CommCare resource model, which needs baseline usage from a running deployment.",
			},
		}
		if ha {
			r.Reasons = append(r.Reasons, "High availability comes from running each critical role on more than one server.")
		}
		return r, nil
	}
}
