package bus

// KindPreferences: an operator changed their notification preferences.
// Only that operator's consoles hear of it (OwnerID), on every node, and
// read them again; no node keeps a copy.
const KindPreferences Kind = "preferences"

// Preferences tells the operator's consoles that their notification
// preferences changed.
func (a Announcer) Preferences(siteID, operatorID int64) {
	a.publish(SiteSubject(siteID), Event{Kind: KindPreferences, SiteID: siteID, OwnerID: operatorID})
}
