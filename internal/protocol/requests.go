package protocol

// Request bodies of the REST API. Pointer members are optional: nil leaves
// the value as it is.

// LoginRequest is POST /api/session and, with Name, POST /api/setup/admin.
type LoginRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// OperatorInput is POST /api/operators (all members) and PATCH
// /api/operators/{id} (any subset).
type OperatorInput struct {
	Name          *string `json:"name"`
	Email         *string `json:"email"`
	Password      *string `json:"password"`
	Role          *string `json:"role"`
	PriorityLevel *int    `json:"priority_level"`
	ChatLimit     *int    `json:"chat_limit"`
}

// StatusRequest is PUT /api/me/status.
type StatusRequest struct {
	Status string `json:"status"`
}

// SettingsPatch is PATCH /api/settings.
type SettingsPatch struct {
	ChatRule                 *string   `json:"chat_rule"`
	InvitationText           *string   `json:"invitation_text"`
	InactivityTimeoutSeconds *int      `json:"inactivity_timeout_seconds"`
	LeftTimeoutSeconds       *int      `json:"left_timeout_seconds"`
	AllowedOrigins           *[]string `json:"allowed_origins"`
	MessagePreview           *bool     `json:"message_preview"`
	PreChat                  *PreChat  `json:"pre_chat"`
	NotifyEmail              *string   `json:"notify_email"`
	LauncherOffset           *int      `json:"launcher_offset"`
	AppearancePatch
	FileSettingsPatch
}

// MoveRequest is POST /api/action-rules/{id}/move.
type MoveRequest struct {
	Direction string `json:"direction"`
}

// NoteRequest is POST /api/chats/{id}/notes.
type NoteRequest struct {
	Body string `json:"body"`
}

// TransferRequest is POST /api/chats/{id}/transfer.
type TransferRequest struct {
	OperatorID int64 `json:"operator_id"`
}

// SessionCookie is the console's session cookie.
const SessionCookie = "od_session"
