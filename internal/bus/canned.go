package bus

// KindCannedReplies: canned replies changed — the shared ones (OwnerID 0),
// which every console of the site reads again, or one operator's personal
// ones, which only that operator's consoles read again. No node keeps a
// copy: the event only tells consoles.
const KindCannedReplies Kind = "canned_replies"

// CannedReplies tells the consoles that should read the canned replies
// again: every console of the site for a shared reply (ownerID 0), the
// owner's for a personal one.
func (a Announcer) CannedReplies(siteID, ownerID int64) {
	a.publish(SiteSubject(siteID), Event{Kind: KindCannedReplies, SiteID: siteID, OwnerID: ownerID})
}
