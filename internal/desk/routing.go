package desk

import (
	"fmt"
	"sort"
	"time"
)

// RoutingKind says how a chat got where it is (the Chat's routing entries).
type RoutingKind string

const (
	RoutedByActionRule RoutingKind = "action_rule"
	RoutedAutomatic    RoutingKind = "automatic"
	RoutedManual       RoutingKind = "manual"  // left waiting by the Manual chat rule
	RoutedNoRoom       RoutingKind = "no_room" // Automatic, but nobody had room
	RoutedTaken        RoutingKind = "taken"
	RoutedTransfer     RoutingKind = "transfer"
	RoutedInvitation   RoutingKind = "invitation"
	RoutedHandedBack   RoutingKind = "handed_back"
)

// ActionRule is a Settings > "Action Rules" > "Chat Routing" rule: chats
// from pages matching all its conditions go to its target operator.
type ActionRule struct {
	ID               int64
	SiteID           int64
	Name             string
	Enabled          bool
	Position         int // 1 is applied first
	Conditions       []Condition
	TargetOperatorID int64
}

// Validate checks what an admin entered.
func (r ActionRule) Validate() error {
	if r.Name == "" || len(r.Name) > 100 {
		return Errorf(CodeInvalid, "Rule name must be 1 to 100 characters")
	}
	if len(r.Conditions) == 0 {
		return Errorf(CodeInvalid, "A rule needs at least one condition")
	}
	if len(r.Conditions) > 20 {
		return Errorf(CodeInvalid, "A rule has at most 20 conditions")
	}
	for _, c := range r.Conditions {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	if r.TargetOperatorID == 0 {
		return Errorf(CodeInvalid, "A rule needs a target operator")
	}
	return nil
}

// Candidate is an operator as routing sees them at one instant.
type Candidate struct {
	ID             int64
	Name           string
	Status         Status // effective: Offline unless a console is connected
	PriorityLevel  int
	ChatLimit      int
	Active         int // active chats assigned now
	LastAssignedAt time.Time
}

// hasRoom: Online (not Away) and below the chat limit (SPEC 3.1).
func (c Candidate) hasRoom() bool { return c.Status == StatusOnline && c.Active < c.ChatLimit }

// whyNot explains why c cannot take a chat automatically, or "" if it can.
func (c Candidate) whyNot() string {
	switch {
	case c.Status == StatusOffline:
		return fmt.Sprintf("%s: Offline", c.Name)
	case c.Status == StatusAway:
		return fmt.Sprintf("%s: Away", c.Name)
	case c.Active >= c.ChatLimit:
		return fmt.Sprintf("%s: at chat limit %d/%d", c.Name, c.Active, c.ChatLimit)
	}
	return ""
}

// Routing is everything routing decides on: the chat rule, the action rules
// in order, and the operators with their load.
type Routing struct {
	ChatRule  ChatRule
	Rules     []ActionRule
	Operators []Candidate
}

// Decision is where routing sends a chat and why. OperatorID is 0 when the
// chat stays waiting.
type Decision struct {
	OperatorID   int64
	OperatorName string
	Kind         RoutingKind
	Text         string
	PassedOver   []string
}

// Entry turns the decision into the record kept with the chat.
func (d Decision) Entry(at time.Time) RoutingEntry {
	return RoutingEntry{At: at, Kind: d.Kind, Text: d.Text, PassedOver: d.PassedOver}
}

// Route decides who gets a chat from page p (SPEC 3.1–3.2): action rules in
// order first; then, under the Automatic chat rule, the highest-priority
// operator with room, fewest chats, then longest since an assignment; under
// Manual, nobody — the chat waits as a ticket.
func (r Routing) Route(p Page) Decision {
	var passed passedOver
	byID := make(map[int64]Candidate, len(r.Operators))
	for _, o := range r.Operators {
		byID[o.ID] = o
	}
	for _, rule := range sortedRules(r.Rules) {
		if !rule.Enabled || !MatchAll(rule.Conditions, p) {
			continue
		}
		target, ok := byID[rule.TargetOperatorID]
		if !ok {
			passed.add(0, fmt.Sprintf("Rule “%s”: its operator no longer exists", rule.Name))
			continue
		}
		if why := target.whyNot(); why != "" {
			passed.add(target.ID, why)
			continue
		}
		return Decision{
			OperatorID: target.ID, OperatorName: target.Name, Kind: RoutedByActionRule,
			Text:       fmt.Sprintf("Routed to %s by action rule “%s”", target.Name, rule.Name),
			PassedOver: passed.list,
		}
	}
	if r.ChatRule != ChatRuleAutomatic {
		return Decision{Kind: RoutedManual, Text: "Manual: waiting for an operator to take it", PassedOver: passed.list}
	}
	return r.automatic(passed)
}

func (r Routing) automatic(passed passedOver) Decision {
	var ready []Candidate
	for _, o := range r.Operators {
		if o.hasRoom() {
			ready = append(ready, o)
		}
	}
	sort.SliceStable(ready, func(i, j int) bool { return ranksBefore(ready[i], ready[j]) })
	if len(ready) == 0 {
		for _, o := range sortedByPriority(r.Operators) {
			passed.add(o.ID, o.whyNot())
		}
		return Decision{Kind: RoutedNoRoom, Text: "Automatic: no operator has room; waiting for the first free operator", PassedOver: passed.list}
	}
	best := ready[0]
	for _, o := range sortedByPriority(r.Operators) {
		switch why := o.whyNot(); {
		case o.ID == best.ID:
		case why != "":
			passed.add(o.ID, why)
		case o.PriorityLevel > best.PriorityLevel:
			passed.add(o.ID, fmt.Sprintf("%s: lower priority (%d)", o.Name, o.PriorityLevel))
		case o.Active > best.Active:
			passed.add(o.ID, fmt.Sprintf("%s: more chats (%d of %d)", o.Name, o.Active, o.ChatLimit))
		case o.LastAssignedAt.After(best.LastAssignedAt):
			passed.add(o.ID, fmt.Sprintf("%s: assigned more recently", o.Name))
		default:
			// Same priority, chats and last assignment: only ranksBefore's
			// final tie-break, the lower id (the account made first), set
			// them apart.
			passed.add(o.ID, fmt.Sprintf("%s: tied with %s, whose account is older", o.Name, best.Name))
		}
	}
	return Decision{
		OperatorID: best.ID, OperatorName: best.Name, Kind: RoutedAutomatic,
		Text:       fmt.Sprintf("Automatic: priority %d, %d of %d chats", best.PriorityLevel, best.Active+1, best.ChatLimit),
		PassedOver: passed.list,
	}
}

// ranksBefore orders candidates for automatic assignment (SPEC 3.2):
// priority level, then fewest active chats, then oldest last assignment
// (never assigned counts as oldest), then id so the order is total.
func ranksBefore(a, b Candidate) bool {
	if a.PriorityLevel != b.PriorityLevel {
		return a.PriorityLevel < b.PriorityLevel
	}
	if a.Active != b.Active {
		return a.Active < b.Active
	}
	if !a.LastAssignedAt.Equal(b.LastAssignedAt) {
		return a.LastAssignedAt.Before(b.LastAssignedAt)
	}
	return a.ID < b.ID
}

// QueuedChat is a waiting chat offered to routing.
type QueuedChat struct {
	ID   int64
	Page Page
}

// RouteQueue routes chats in the order given (oldest first), each decision
// counting against the room of the operator it picked, so a batch never takes
// anyone past their chat limit.
func (r Routing) RouteQueue(chats []QueuedChat, now time.Time) []Decision {
	ops := append([]Candidate(nil), r.Operators...)
	r.Operators = ops
	out := make([]Decision, len(chats))
	for i, c := range chats {
		d := r.Route(c.Page)
		out[i] = d
		for j := range ops {
			if ops[j].ID == d.OperatorID {
				ops[j].Active++
				ops[j].LastAssignedAt = now
			}
		}
	}
	return out
}

func sortedRules(rules []ActionRule) []ActionRule {
	out := append([]ActionRule(nil), rules...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

func sortedByPriority(ops []Candidate) []Candidate {
	out := append([]Candidate(nil), ops...)
	sort.SliceStable(out, func(i, j int) bool { return ranksBefore(out[i], out[j]) })
	return out
}

// passedOver collects one reason per operator, first reason kept.
type passedOver struct {
	seen map[int64]bool
	list []string
}

func (p *passedOver) add(id int64, why string) {
	if why == "" {
		return
	}
	if id != 0 {
		if p.seen == nil {
			p.seen = map[int64]bool{}
		}
		if p.seen[id] {
			return
		}
		p.seen[id] = true
	}
	p.list = append(p.list, why)
}

// The routing texts of decisions made by people rather than rules.
func TakenText(operator string) string { return "Taken by " + operator }
func TransferText(from, to string) string {
	return fmt.Sprintf("Transferred by %s to %s", from, to)
}
func InvitationText(operator string) string { return "Invited by " + operator }
func HandedBackText(operator string) string {
	return fmt.Sprintf("%s went offline. The chat is waiting for another operator.", operator)
}
func TransferLine(from, to string) string {
	return fmt.Sprintf("%s transferred the chat to %s", from, to)
}
