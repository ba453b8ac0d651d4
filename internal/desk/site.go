// Package desk is the domain of Output Desk: sites, operators, visitors,
// chats and rules, and the pure decisions on them — routing, invitation
// triggers, end deadlines, the Visitor List status. It does no I/O and has
// no clock: callers pass the time in.
package desk

import "time"

// Site is a website the widget runs on.
type Site struct {
	ID             int64
	Key            string // public, in the snippet
	Name           string
	AllowedOrigins []string // "*" allows any
	CreatedAt      time.Time
}

// OriginAllowed reports whether a page of origin may load the widget.
func (s Site) OriginAllowed(origin string) bool {
	for _, o := range s.AllowedOrigins {
		if o == "*" || o == origin {
			return true
		}
	}
	return false
}

// ChatRule is Settings > "Chat Rule".
type ChatRule string

const (
	ChatRuleManual    ChatRule = "Manual"
	ChatRuleAutomatic ChatRule = "Automatic"
)

// DefaultInvitationText is Settings > Appearance > "Chat Invitation Text"
// until an admin changes it.
const DefaultInvitationText = "Hello! {operator} here. Can I help you with anything?"

// Settings are a site's console settings.
type Settings struct {
	ChatRule          ChatRule
	InvitationText    string
	InactivityTimeout time.Duration
	LeftTimeout       time.Duration
	// MessagePreview lets operators see the visitor's draft as it is typed
	// ("Message preview"; off by default).
	MessagePreview bool
	// PreChat is the "Pre-chat form".
	PreChat PreChatForm
	// NotifyEmail is where each offline message is mailed ("": nowhere).
	NotifyEmail string
	// LauncherOffset lifts the widget's button (and panel) this many
	// pixels above the page's bottom edge ("Launcher offset").
	LauncherOffset int
	// Appearance is the widget's look ("Make it ours").
	Appearance Appearance
	// MaxFileBytes is "Largest file" (0: DefaultMaxFileBytes); FileTypes
	// is "Allowed file types" (nil: every known type). See file.go.
	MaxFileBytes int64
	FileTypes    []string
}

// MaxLauncherOffset bounds "Launcher offset", in pixels.
const MaxLauncherOffset = 300

// Timeouts are the periods after which a chat ends by itself.
func (s Settings) Timeouts() Timeouts {
	return Timeouts{Inactivity: s.InactivityTimeout, Left: s.LeftTimeout}
}
