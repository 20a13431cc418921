package sizing

import "fmt"

// SimpleAssumptions lists, in words, what the simple form assumes, with the
// figures read from the default profile, for a UI to show beside the result.
func SimpleAssumptions() []string {
	cfg, err := ParseConfig(defaultProfile)
	if err != nil {
		return []string{"The default profile could not be read: " + err.Error()}
	}
	u := map[string]UsageModel{}
	for _, m := range cfg.Usage {
		u[m.Name] = m
	}
	svc := map[string]Service{}
	for _, s := range cfg.Services {
		svc[s.Name] = s
	}
	pct := func(x float64) string { return fmtNum(x*100) + "%" }
	out := []string{
		"The model needs baseline usage measured on a running CommCare deployment; for a new project, the hardware tiers by number of users are the better guide.",
		"Services, storage per record and the ratios below come from Dimagi's eCHIS profile (Dimagi's latest published config); a project's own measurements replace them in a full config.",
		"The eCHIS profile's authors calibrated its storage figures only; treat its VM, core and RAM counts as rough.",
		"Users stay constant between the dates given: the count changes in the month a milestone starts.",
		fmt.Sprintf("%s of users are active in a month, unless another share is given.", pct(defaultActiveShare)),
		"Forms and new cases are per user per month; each case created or updated is one case transaction.",
		fmt.Sprintf("VM counts and storage carry a %s estimation buffer that grows %s a month; modelled data gets %s more disk as headroom.",
			pct(cfg.EstimationBuffer), pct(cfg.EstimationGrowthFactor), pct(cfg.StorageBuffer)),
		fmt.Sprintf("Every VM has a %s GB OS disk.", fmtNum(cfg.VMOSStorageGB)),
	}
	if m, ok := u["synclogs_monthly"]; ok {
		life := ""
		if t, ok := u["synclogs_total"]; ok {
			life = fmt.Sprintf(", kept for %s months", fmtNum(t.Lifespan.Value))
		}
		out = append(out, fmt.Sprintf("Each active user syncs %s times a month%s.", fmtNum(m.Factor.Value), life))
	}
	if m, ok := u["device_logs"]; ok {
		out = append(out, fmt.Sprintf("Each active user adds %s device-log rows a month.", fmtThousands(m.MonthlyGrowth.Value)))
	}
	if m, ok := u["case_indices"]; ok {
		out = append(out, fmt.Sprintf("There are %s case indices per case.", fmtNum(m.Factor.Value)))
	}
	if m, ok := u["kafka_changes_total"]; ok {
		out = append(out, fmt.Sprintf("Change feeds (Kafka) keep %s months of forms, cases, case transactions and syncs.", fmtNum(m.Lifespan.Value)))
	}
	if s, ok := svc["minio"]; ok && s.UsageCapacityPerNode > 0 {
		out = append(out, fmt.Sprintf("Object storage (MinIO) needs a node per %s users and at most %s TB per node.",
			fmtThousands(s.UsageCapacityPerNode), fmtNum(s.MaxStoragePerNode/1e12)))
	}
	if s, ok := svc[blobService]; ok && s.Storage != nil {
		for _, dm := range s.Storage.DataModels {
			if dm.Field == attachmentsPer {
				out = append(out, fmt.Sprintf("Object storage (MinIO) keeps %s bytes for every form, plus the average size of its attachments when one is given.",
					fmtThousands(dm.UnitBytes)))
			}
		}
	}
	var ha []string
	for _, s := range sortedServices(cfg.Services) {
		if s.IncludeHAResources {
			ha = append(ha, s.Name)
		}
	}
	if len(ha) > 0 {
		out = append(out, "These services run with a standby copy for high availability, doubling their VMs and storage: "+joinNames(ha)+".")
	}
	out = append(out, "Storage figures are rounded up by about 1%, as in Dimagi's tool.")
	return out
}
