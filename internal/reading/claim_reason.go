package reading

// ClaimReason is one of the reasons a client may give for a satisfaction
// claim (OD-14): a short list, so claims can be sorted and counted, with
// the client's own words beside it.
type ClaimReason struct {
	Code  string // stored and sent by the API: "not_as_described"
	Label string // what pages show
}

// ClaimReasons is the list a claim's reason is chosen from, in the order
// pages offer it.
var ClaimReasons = []ClaimReason{
	{"not_as_described", "The reading was not what the profile described"},
	{"technical", "Connection or technical problems"},
	{"conduct", "The reader was rude or unprofessional"},
	{"not_helpful", "The reading did not help me"},
	{"other", "Something else"},
}

// ClaimReasonLabel returns the words for a claim reason's code, or the code
// itself if it is not one of ClaimReasons.
func ClaimReasonLabel(code string) string {
	if r, ok := claimReason(code); ok {
		return r.Label
	}
	return code
}

// claimReason finds a reason of ClaimReasons by its code.
func claimReason(code string) (ClaimReason, bool) {
	for _, r := range ClaimReasons {
		if r.Code == code {
			return r, true
		}
	}
	return ClaimReason{}, false
}
