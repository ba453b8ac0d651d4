package protocol

import "outputdesk/internal/desk"

// CannedReply is a canned reply as the console lists it.
type CannedReply struct {
	ID        int64  `json:"id"`
	Shortcut  string `json:"shortcut"`
	Text      string `json:"text"`
	Shared    bool   `json:"shared"`
	OwnerID   *int64 `json:"owner_id"` // null when shared
	CreatedAt Time   `json:"created_at"`
	UpdatedAt Time   `json:"updated_at"`
}

func CannedReplyOf(r desk.CannedReply) CannedReply {
	out := CannedReply{ID: r.ID, Shortcut: r.Shortcut, Text: r.Text, Shared: r.Shared(), CreatedAt: Time(r.CreatedAt), UpdatedAt: Time(r.UpdatedAt)}
	if !r.Shared() {
		owner := r.OwnerID
		out.OwnerID = &owner
	}
	return out
}

// CannedReplyInput is the body of POST /api/canned-replies and PUT
// /api/canned-replies/{id}. Shared may be left out: false when creating;
// when updating, the reply stays as it is (and a value that differs is
// refused: a reply does not move between shared and personal).
type CannedReplyInput struct {
	Shortcut string `json:"shortcut"`
	Text     string `json:"text"`
	Shared   *bool  `json:"shared"`
}

// CannedReplyMembers are the required members of CannedReplyInput.
var CannedReplyMembers = []string{"shortcut", "text"}

// CannedRepliesWhat is what a settings.changed frame names when canned
// replies changed.
const CannedRepliesWhat = "canned_replies"
